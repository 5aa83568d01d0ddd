//! A letter as a Word document (`.docx`), so that a unit can print it from Word on its own
//! letterhead paper. One Word paragraph for each paragraph of the text; the lines of an
//! address block or a list kept as lines. Large print (a recorded need) sets the whole
//! letter in 18 point; otherwise 12.

use docx_rs::{BreakType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts};

use super::Letter;

/// Half-points: Word's unit for a font's size.
pub const NORMAL_SIZE: usize = 24;
/// 18 point: large print as the RNIB's clear print guidance has it (16 at least).
pub const LARGE_SIZE: usize = 36;
const FONT: &str = "Arial";

/// A4 in twentieths of a point, with 2.5 cm margins.
const A4: (u32, u32) = (11_906, 16_838);
const MARGIN: i32 = 1_417;

/// The letter as the bytes of a `.docx` file.
pub fn to_docx(letter: &Letter) -> Vec<u8> {
    let size = if letter.large_print {
        LARGE_SIZE
    } else {
        NORMAL_SIZE
    };
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT);
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(MARGIN)
                .bottom(MARGIN)
                .left(MARGIN)
                .right(MARGIN),
        )
        .default_size(size)
        .default_fonts(fonts());
    for block in letter.text.split("\n\n") {
        let mut run = Run::new().size(size).fonts(fonts());
        for (i, line) in block.lines().enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            run = run.add_text(line);
        }
        // A blank line's worth of space after each paragraph, as the text has: the font's
        // size in twentieths of a point (half-points × 10).
        let after = u32::try_from(size * 10).unwrap_or(240);
        doc = doc.add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().after(after))
                .add_run(run),
        );
    }
    let mut xml = doc.build();
    properties(letter, &mut xml);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).expect("a document packs into memory");
    out.into_inner()
}

/// The language Word checks the spelling in, and that its properties name.
const LANGUAGE: &str = "en-GB";

/// What docx-rs cannot set itself: the document's properties (its author, the officer who
/// signs it, or vlu; created and modified on the letter's date; British English) and its
/// styles (British English throughout, and Normal marked the default paragraph style, so
/// that Word's proofing and "Normal" are what a unit's staff expect).
fn properties(letter: &Letter, xml: &mut docx_rs::XMLDocx) {
    let author = xml_text(letter.record.by.as_deref().unwrap_or("vlu"));
    let when = format!("{}T00:00:00Z", letter.date.format("%Y-%m-%d"));
    xml.doc_props.core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
         <dc:language>{LANGUAGE}</dc:language><cp:revision>1</cp:revision>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified>\
         </cp:coreProperties>"
    )
    .into_bytes();
    let lang =
        format!("<w:lang w:val=\"{LANGUAGE}\" w:eastAsia=\"{LANGUAGE}\" w:bidi=\"ar-SA\" />");
    let styles = String::from_utf8_lossy(&xml.styles)
        .replacen(
            "</w:rPr></w:rPrDefault>",
            &format!("{lang}</w:rPr></w:rPrDefault>"),
            1,
        )
        .replacen(
            "<w:rPrDefault><w:rPr /></w:rPrDefault>",
            &format!("<w:rPrDefault><w:rPr>{lang}</w:rPr></w:rPrDefault>"),
            1,
        )
        .replacen(
            "<w:style w:type=\"paragraph\" w:styleId=\"Normal\">",
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">",
            1,
        );
    xml.styles = styles.into_bytes();
}

/// `text` as XML character data.
fn xml_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
