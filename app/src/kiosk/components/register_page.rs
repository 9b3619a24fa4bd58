//! `/admin/kiosks/new`: an administrator registers a kiosk; `/admin/kiosks/created`: its
//! heartbeat secret and the address that hands it to the kiosk, shown once (in the answer to the
//! registration itself).
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::admin::nav::{AdminShell, FormMessage};
use crate::components::field::Field;
use crate::i18n::use_lang;
use crate::kiosk::server::{load_created_kiosk, load_kiosk_form, CreatedKiosk, MonumentChoice};
use crate::nominations::model::FormState;

#[component]
pub fn NewKioskPage() -> impl IntoView {
    let query = use_query_map();
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(move || flash.clone(), load_kiosk_form);
    view! {
        <AdminShell title_zh="登记信息亭 · 管理后台" title_en="Register a kiosk · Admin" data
            page=|(monuments, f)| view! { <NewKioskForm monuments f/> }/>
    }
}

#[component]
fn NewKioskForm(monuments: Vec<MonumentChoice>, f: FormState) -> impl IntoView {
    let lang = use_lang();
    let chosen = f.value("monument");
    let monument_error = f.error("monument");
    view! {
        <h1>{lang.t("登记信息亭", "Register a kiosk")}</h1>
        <FormMessage form=f.clone()/>
        <form class="account-form" method="post" action="/admin/kiosks" novalidate>
            <Field name="id" label=lang.t("编号（用在地址 /kiosk/编号 中）", "Id (its address is /kiosk/ID)").into() form=f.clone() required=true maxlength=40 autocomplete="off"
                hint=lang.t("小写字母、数字和中间的短横线，如 plaza-north-1", "lower-case letters, digits and inner dashes, e.g. plaza-north-1").to_string()/>
            <Field name="name" label=lang.t("名称", "Name").into() form=f.clone() required=true maxlength=60
                hint=lang.t("管理人员怎么称呼它，如 广场北门", "what the staff call it, e.g. north gate").to_string()/>
            <div class="field" class:has-error=monument_error.is_some()>
                <label for="f-monument">{lang.t("所在的名录墙", "Monument")}" *"</label>
                <select id="f-monument" name="monument">
                    {monuments.into_iter().map(|(code, zh, en)| {
                        let selected = chosen == code;
                        view! { <option value=code selected=selected>{lang.t(&zh, &en).to_string()}</option> }
                    }).collect_view()}
                </select>
                {monument_error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <fieldset>
                <legend>{lang.t("在场地图上的位置（可不填；填写后信息亭显示去石碑的路线）", "Place on the grounds' plan (optional; with it the kiosk shows the way to a stone)")}</legend>
                <Field name="x" label=lang.t("x（米，自图的左边起）", "x (metres from the plan's left)").into() form=f.clone() maxlength=10/>
                <Field name="y" label=lang.t("y（米，自图的上边起）", "y (metres from the plan's top)").into() form=f.clone() maxlength=10/>
                <Field name="facing" label=lang.t("屏幕朝向（度，正北为 0，顺时针）", "Screen faces (degrees clockwise from north)").into() form=f.clone() maxlength=3/>
            </fieldset>
            <Field name="idle_seconds" label=lang.t("无人操作多少秒后清屏（30–600，默认 90）", "Seconds without a touch before it starts over (30–600, default 90)").into() form=f.clone() maxlength=3/>
            <button type="submit">{lang.t("登记", "Register")}</button>
        </form>
    }
}

#[component]
pub fn CreatedKioskPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| load_created_kiosk());
    view! {
        <AdminShell title_zh="信息亭已登记 · 管理后台" title_en="Kiosk registered · Admin" data page=|k| view! { <Created k/> }/>
    }
}

#[component]
fn Created(k: CreatedKiosk) -> impl IntoView {
    let lang = use_lang();
    let address = format!("/kiosk/{}#secret={}", k.id, k.secret);
    view! {
        <h1>{lang.t("信息亭已登记：", "Kiosk registered: ")}<span data-testid="created-kiosk">{k.id.clone()}</span></h1>
        <p class="error" role="note">{lang.t(
            "下面的密钥只显示这一次。在信息亭上打开一次下面的地址，它就会保存密钥并开始报告状态（# 后面的部分不会发送到服务器）。",
            "The secret below is shown once. Open the address below once on the kiosk: it keeps the secret and starts reporting (the part after # is never sent to the server).",
        )}</p>
        <dl>
            <dt>{lang.t("心跳密钥", "Heartbeat secret")}</dt>
            <dd><code data-testid="kiosk-secret">{k.secret}</code></dd>
            <dt>{lang.t("在信息亭上打开", "Open on the kiosk")}</dt>
            <dd><code class="wrap" data-testid="kiosk-address">{address}</code></dd>
        </dl>
        <p><a href="/admin/kiosks">{lang.t("返回信息亭列表", "Back to the kiosks")}</a></p>
    }
}
