//! Charts drawn as SVG on the server: seen without JavaScript, named for screen readers (a title
//! and a description naming the largest values), each followed by its numbers as a table.
use leptos::prelude::*;

use crate::i18n::use_lang;

/// Width of the line chart in its own units (it scales to the page's width, and scrolls
/// sideways on a phone rather than shrink its text).
const WIDTH: f64 = 640.0;

/// Horizontal bars, one per label in the order given, each label above its bar so the drawing
/// stays narrow and its text readable on a phone.
#[component]
pub fn BarChart(
    /// Unique on the page: names the title and description elements.
    id: &'static str,
    title: String,
    /// The header of the label column in the table.
    label_header: String,
    value_header: String,
    bars: Vec<(String, u32)>,
    /// Where its numbers can be downloaded (CSV).
    data: &'static str,
) -> impl IntoView {
    const BAR_WIDTH: f64 = 400.0;
    const ROW: f64 = 40.0;
    let lang = use_lang();
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64;
    let height = ROW * bars.len() as f64 + 4.0;
    let description = bars
        .iter()
        .take(3)
        .map(|(label, value)| format!("{label} {value}"))
        .collect::<Vec<_>>()
        .join(lang.t("；", "; "));
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let rows = bars.clone();
    view! {
        <figure class="chart chart-bars">
            <svg
                viewBox=format!("0 0 {BAR_WIDTH} {height}")
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {bars.into_iter().enumerate().map(|(i, (label, value))| {
                    let y = ROW * i as f64;
                    let width = (BAR_WIDTH - 64.0) * value as f64 / max;
                    view! {
                        <text x="0" y=y + 15.0 class="chart-label">{label}</text>
                        <rect x="0" y=y + 21.0 width=width height="13" rx="3" class="chart-bar"/>
                        <text x=width + 6.0 y=y + 33.0 class="chart-value">{value}</text>
                    }
                }).collect_view()}
            </svg>
            <details>
                <summary>{title.clone()}</summary>
                <table>
                    <thead><tr><th scope="col">{label_header}</th><th scope="col">{value_header}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(label, value)| view! {
                            <tr><td>{label}</td><td>{value}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <ChartData href=data title/>
        </figure>
    }
}

/// One line per series over the batches (x), in percent (y). Series differ by colour and by dash,
/// so they read without colour too; a legend names them.
#[component]
pub fn ShareChart(
    id: &'static str,
    title: String,
    /// The batches along the x axis, as labels.
    batches: Vec<String>,
    /// (name, percentages, one per batch).
    series: Vec<(String, Vec<f64>)>,
    /// Where its numbers can be downloaded (CSV).
    data: &'static str,
) -> impl IntoView {
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 44.0;
    const BOTTOM: f64 = 40.0;
    const TOP: f64 = 12.0;
    let max = series
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .fold(10.0_f64, f64::max);
    // A multiple of 20, so the quarter gridlines fall on whole percents.
    let top = (max / 20.0).ceil() * 20.0;
    let plot_w = WIDTH - LEFT - 12.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = if batches.len() > 1 {
        plot_w / (batches.len() - 1) as f64
    } else {
        0.0
    };
    let x = move |i: usize| LEFT + step * i as f64;
    let y = move |v: f64| TOP + plot_h * (1.0 - v / top);
    let lang = use_lang();
    let description = series
        .iter()
        .map(|(name, values)| {
            let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
            format!(
                "{name} {} {mean:.1}%",
                lang.t("各批平均", "mean over batches")
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let gridlines: Vec<f64> = (0..=4).map(|k| top * k as f64 / 4.0).collect();
    // Label every other batch when there are many, so labels never overlap.
    let every = batches.len().div_ceil(12).max(1);
    let table_series = series.clone();
    let table_batches = batches.clone();
    view! {
        <figure class="chart chart-lines">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=labelled_by
                preserveAspectRatio="xMinYMin meet"
            >
                <title id=title_id>{title.clone()}</title>
                <desc id=desc_id>{description}</desc>
                {gridlines.into_iter().map(|v| view! {
                    <line x1=LEFT x2=WIDTH - 12.0 y1=y(v) y2=y(v) class="chart-grid"/>
                    <text x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end" class="chart-axis">{format!("{v:.0}%")}</text>
                }).collect_view()}
                {batches.iter().enumerate().filter(|(i, _)| i % every == 0).map(|(i, label)| view! {
                    <text x=x(i) y=HEIGHT - BOTTOM + 16.0 text-anchor="middle" class="chart-axis">{label.clone()}</text>
                }).collect_view()}
                {series.iter().enumerate().map(|(s, (_, values))| {
                    let points = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
                        .collect::<Vec<_>>()
                        .join(" ");
                    view! { <polyline points=points class=format!("chart-line series-{s}")/> }
                }).collect_view()}
                {series.iter().enumerate().map(|(s, (name, _))| {
                    let lx = LEFT + 8.0 + 140.0 * s as f64;
                    view! {
                        <line x1=lx x2=lx + 26.0 y1=HEIGHT - 10.0 y2=HEIGHT - 10.0 class=format!("chart-line series-{s}")/>
                        <text x=lx + 32.0 y=HEIGHT - 6.0 class="chart-label">{name.clone()}</text>
                    }
                }).collect_view()}
            </svg>
            <details>
                <summary>{title.clone()}</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{lang.t("批次", "Batch")}</th>
                        {table_series.iter().map(|(name, _)| view! { <th scope="col">{name.clone()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {table_batches.into_iter().enumerate().map(|(i, label)| view! {
                            <tr>
                                <td>{label}</td>
                                {table_series.iter().map(|(_, values)| view! {
                                    <td>{format!("{:.1}%", values.get(i).copied().unwrap_or(0.0))}</td>
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
            <ChartData href=data title/>
        </figure>
    }
}

/// The link to a chart's numbers as a CSV file (named after its chart for screen readers, so
/// the five links do not read alike).
#[component]
fn ChartData(href: &'static str, title: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="chart-data">
            <a href=href download>
                {lang.t("下载数据（CSV）", "Download the numbers (CSV)")}
                <span class="visually-hidden">{format!("：{title}")}</span>
            </a>
        </p>
    }
}
