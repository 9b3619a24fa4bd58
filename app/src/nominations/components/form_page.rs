use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::admin::nav::{AdminShell, FormMessage};
use crate::components::field::Field;
use crate::i18n::use_lang;
use crate::nominations::model::NominationFormData;
use crate::nominations::server::load_nomination_form;

/// `/admin/nominations/new` and `/admin/nominations/{id}/edit`: the unit's nomination packet.
#[component]
pub fn NominationFormPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|i| i.parse::<i64>().ok());
    let flash = query.read_untracked().get("flash");
    let data = Resource::new(
        move || (id, flash.clone()),
        |(id, f)| load_nomination_form(id, f),
    );
    view! {
        <AdminShell title_zh="提名表 · 管理后台" title_en="Nomination form · Admin" data page=|d| view! { <NominationForm d/> }/>
    }
}

#[component]
fn NominationForm(d: NominationFormData) -> impl IntoView {
    let lang = use_lang();
    let form = d.form;
    let action = match d.id {
        Some(id) => format!("/admin/nominations/{id}"),
        None => "/admin/nominations".to_string(),
    };
    let title = if d.id.is_some() {
        lang.t("修改提名", "Edit nomination")
    } else {
        lang.t("新建提名", "New nomination")
    };
    let category = form.value("category");
    let sex = form.value("sex");
    let checked = |k: &str| !form.value(k).is_empty();
    let f = form.clone();
    let category_error = f.error("category");
    let sex_error = f.error("sex");
    view! {
        <h1>{title}</h1>
        <FormMessage form=form.clone()/>
        <form class="nomination-form" method="post" action=action novalidate>
            <input type="hidden" name="version" value=d.version/>
            <fieldset>
                <legend>{lang.t("荣誉与候选人", "Honour and candidate")}</legend>
                <div class="field" class:has-error=category_error.is_some()>
                    <label for="f-category">{lang.t("荣誉类别", "Honour")}" *"</label>
                    <select id="f-category" name="category" aria-describedby=category_error.as_ref().map(|_| "e-category")>
                        {d.categories.into_iter().map(|c| {
                            let selected = c.code == category;
                            view! { <option value=c.code selected=selected>{c.name}</option> }
                        }).collect_view()}
                    </select>
                    {category_error.clone().map(|e| view! { <p class="field-error" id="e-category">{e}</p> })}
                </div>
                <Field name="year" label=lang.t("年度", "Year").into() form=f.clone() kind="number" required=true/>
                <Field name="candidate_name" label=lang.t("候选人姓名或集体名称", "Candidate (person or collective)").into() form=f.clone() required=true maxlength=60
                    hint=lang.t("个人姓名须为汉字，少数民族姓名用 · 分隔", "A person's name in Chinese characters; use · between parts").to_string()/>
                <div class="field" class:has-error=sex_error.is_some()>
                    <label for="f-sex">{lang.t("性别", "Sex")}</label>
                    <select id="f-sex" name="sex" aria-describedby=sex_error.as_ref().map(|_| "e-sex")>
                        <option value="" selected=sex.is_empty()>"—"</option>
                        <option value="M" selected=sex == "M">{lang.t("男", "Male")}</option>
                        <option value="F" selected=sex == "F">{lang.t("女", "Female")}</option>
                    </select>
                    {sex_error.clone().map(|e| view! { <p class="field-error" id="e-sex">{e}</p> })}
                </div>
                <Field name="ethnicity" label=lang.t("民族", "Ethnicity").into() form=f.clone() maxlength=60/>
                <Field name="birth_year" label=lang.t("出生年份", "Year of birth").into() form=f.clone() kind="number"/>
                <Field name="work_unit" label=lang.t("工作单位", "Work unit").into() form=f.clone() maxlength=60/>
                <Field name="post" label=lang.t("职务", "Post").into() form=f.clone() maxlength=60/>
                <Field name="industry" label=lang.t("行业", "Industry").into() form=f.clone() maxlength=60/>
                <Field name="district" label=lang.t("区", "District").into() form=f.clone() maxlength=60/>
                <div class="checks">
                    <label><input type="checkbox" name="frontline" value="1" checked=checked("frontline")/>" "{lang.t("一线职工", "Frontline worker")}</label>
                    <label><input type="checkbox" name="scitech" value="1" checked=checked("scitech")/>" "{lang.t("科技人员", "Science and technology")}</label>
                    <label><input type="checkbox" name="manager" value="1" checked=checked("manager")/>" "{lang.t("企业负责人（经营管理者）", "Head of an enterprise")}</label>
                </div>
            </fieldset>
            <fieldset>
                <legend>{lang.t("推荐材料", "Nomination packet")}</legend>
                <Field name="report" label=lang.t("推荐报告（一报告）", "Recommendation report").into() form=f.clone() kind="textarea"
                    hint=lang.t("提交前必填，不超过 5000 字", "Required to submit; at most 5,000 characters").to_string()/>
                <Field name="deeds_short" label=lang.t("简要事迹", "Short deeds").into() form=f.clone() kind="textarea"
                    hint=lang.t("提交前必填，不超过 500 字；公示时公开", "Required to submit; at most 500 characters; shown in public notices").to_string()/>
                <Field name="deeds_full" label=lang.t("详细事迹", "Full deeds").into() form=f.clone() kind="textarea"
                    hint=lang.t("提交前必填，不超过 2000 字", "Required to submit; at most 2,000 characters").to_string()/>
            </fieldset>
            <button type="submit">{lang.t("保存", "Save")}</button>
        </form>
    }
}
