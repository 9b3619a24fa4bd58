//! A stone's names as the wall draws them when zoomed in: one list item per engraved row, its
//! names as one line of text with a tab before each column (the list's `tab-size` is a column's
//! width), and the row's person ids in `data-ids`, one per column (0 for an empty place).
//!
//! Why text and not an element per name: a stone holds up to ~700 names, and putting in two
//! elements per name cost a phone (CPU slowed 4×) 100–200 ms of style, layout and paint in one
//! frame; a few dozen lines of text cost a fraction of that. Taps find the name from the column
//! under the pointer and `data-ids`; a highlighted name is a real link laid over its place. Screen
//! readers and visitors without JavaScript use the stone's own page, an ordered list of links.
//!
//! Filters dim names by batch year and honour: a row whose names share both carries them as
//! `data-y`/`data-h`; a row that mixes them has one `<span>` per run of names that share them.

use crate::domain::text::escape_html;

/// One engraved name and its place on the stone (row and position counted from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngravedName<'a> {
    pub row: u16,
    pub position: u16,
    pub id: i64,
    pub name: &'a str,
    pub year: i32,
    pub honour: &'a str,
}

/// Names longer than this many characters are clipped to their column (a box of their own).
const COLUMN_CHARS: usize = 4;

/// The stone's rows, from the first to the last that holds a name; `names` sorted by place.
pub fn render_rows(names: &[EngravedName]) -> String {
    let mut html = String::with_capacity(names.len() * 24);
    let last_row = names.iter().map(|n| n.row).max().unwrap_or(0);
    let mut rest = names;
    for row in 1..=last_row {
        let in_row = rest.iter().take_while(|n| n.row == row).count();
        let (these, after) = rest.split_at(in_row);
        rest = after;
        render_row(&mut html, these);
    }
    html
}

fn render_row(html: &mut String, names: &[EngravedName]) {
    let width = names.iter().map(|n| n.position).max().unwrap_or(0) as usize;
    let mut cells: Vec<Option<&EngravedName>> = vec![None; width];
    for name in names {
        cells[name.position as usize - 1] = Some(name);
    }
    let ids: Vec<String> = cells
        .iter()
        .map(|c| c.map_or(0, |n| n.id).to_string())
        .collect();
    // Runs of columns whose names share year and honour; empty places join the run they are in.
    let mut runs: Vec<(Option<(i32, &str)>, std::ops::Range<usize>)> = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let key = cell.map(|n| (n.year, n.honour));
        match runs.last_mut() {
            Some((run_key, range)) if key.is_none() || *run_key == key => range.end = i + 1,
            Some((run_key @ None, range)) => {
                *run_key = key;
                range.end = i + 1;
            }
            _ => runs.push((key, i..i + 1)),
        }
    }
    html.push_str(&format!("<li data-ids=\"{}\"", ids.join(" ")));
    match runs.as_slice() {
        [(Some((year, honour)), range)] => {
            html.push_str(&attributes(*year, honour));
            html.push('>');
            push_cells(html, &cells, range.clone());
        }
        _ => {
            html.push('>');
            for (key, range) in &runs {
                match key {
                    Some((year, honour)) => {
                        html.push_str(&format!("<span{}>", attributes(*year, honour)))
                    }
                    None => html.push_str("<span>"),
                }
                push_cells(html, &cells, range.clone());
                html.push_str("</span>");
            }
        }
    }
    html.push_str("</li>");
}

fn attributes(year: i32, honour: &str) -> String {
    format!(" data-y=\"{year}\" data-h=\"{}\"", escape_html(honour))
}

fn push_cells(html: &mut String, cells: &[Option<&EngravedName>], range: std::ops::Range<usize>) {
    for i in range {
        if i > 0 {
            html.push('\t');
        }
        let Some(name) = cells[i] else { continue };
        let text = escape_html(name.name);
        if name.name.chars().count() > COLUMN_CHARS {
            html.push_str(&format!("<span class=\"long\">{text}</span>"));
        } else {
            html.push_str(&text);
        }
    }
}

/// The column of a person in a row's `data-ids`, if there.
pub fn column_of(ids: &str, id: i64) -> Option<usize> {
    ids.split(' ').position(|x| x.parse() == Ok(id))
}

/// The person at a column of a row's `data-ids` (none for an empty place or past the row's end).
pub fn id_at(ids: &str, column: usize) -> Option<i64> {
    ids.split(' ')
        .nth(column)
        .and_then(|x| x.parse().ok())
        .filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(
        row: u16,
        position: u16,
        id: i64,
        name: &'static str,
        year: i32,
    ) -> EngravedName<'static> {
        EngravedName {
            row,
            position,
            id,
            name,
            year,
            honour: "beijing_model",
        }
    }

    #[test]
    fn one_row_per_engraved_row_with_a_tab_before_each_column() {
        let html = render_rows(&[
            name(1, 1, 10, "丁华", 1952),
            name(1, 2, 11, "于平俊", 1952),
            name(2, 1, 12, "万杰", 1952),
        ]);
        assert_eq!(
            html,
            "<li data-ids=\"10 11\" data-y=\"1952\" data-h=\"beijing_model\">丁华\t于平俊</li>\
             <li data-ids=\"12\" data-y=\"1952\" data-h=\"beijing_model\">万杰</li>"
        );
    }

    #[test]
    fn empty_places_and_empty_rows_keep_every_name_in_its_column() {
        let html = render_rows(&[name(1, 2, 11, "于立", 1952), name(3, 1, 12, "万杰", 1952)]);
        assert!(
            html.starts_with(
                "<li data-ids=\"0 11\" data-y=\"1952\" data-h=\"beijing_model\">\t于立</li>"
            ),
            "{html}"
        );
        assert!(html.contains("<li data-ids=\"\"></li>"), "{html}");
        assert_eq!(column_of("0 11", 11), Some(1));
        assert_eq!(id_at("0 11", 0), None);
        assert_eq!(id_at("0 11", 1), Some(11));
        assert_eq!(id_at("0 11", 2), None);
    }

    #[test]
    fn a_row_mixing_batches_has_a_span_per_run() {
        let html = render_rows(&[
            name(1, 1, 1, "甲", 1952),
            name(1, 2, 2, "乙", 1952),
            name(1, 3, 3, "丙", 1955),
        ]);
        assert_eq!(
            html,
            "<li data-ids=\"1 2 3\"><span data-y=\"1952\" data-h=\"beijing_model\">甲\t乙</span>\
             <span data-y=\"1955\" data-h=\"beijing_model\">\t丙</span></li>"
        );
    }

    #[test]
    fn names_are_escaped_and_long_ones_boxed() {
        let html = render_rows(&[
            name(1, 1, 1, "<b>&", 1952),
            name(1, 2, 2, "阿依古丽·买买提", 1952),
        ]);
        assert!(html.contains("&lt;b&gt;&amp;\t"), "{html}");
        assert!(
            html.contains("<span class=\"long\">阿依古丽·买买提</span>"),
            "{html}"
        );
        assert!(!html.contains("<b>"));
    }
}
