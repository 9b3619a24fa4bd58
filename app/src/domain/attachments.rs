//! What an attachment may be: PDF, JPEG or PNG, recognised by its content (the name and the type
//! the browser claims are not trusted), within a size limit. Pure: the storage lives in the
//! server's upload handler.

/// Per file. Scanned forms and photos fit comfortably; anything larger is refused while it streams.
pub const MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Png => &["png"],
        }
    }
}

/// Recognises the file by its first bytes.
pub fn sniff(head: &[u8]) -> Option<FileType> {
    if head.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else {
        None
    }
}

/// What a file is for: the parts of a nomination packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttachmentKind {
    /// 推荐表
    Form,
    /// 民主测评表
    Evaluation,
    /// 部门意见 (departmental opinions)
    Opinion,
    /// 2 寸照片
    Photo,
    Other,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 5] = [
        AttachmentKind::Form,
        AttachmentKind::Evaluation,
        AttachmentKind::Opinion,
        AttachmentKind::Photo,
        AttachmentKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AttachmentKind::Form => "form",
            AttachmentKind::Evaluation => "evaluation",
            AttachmentKind::Opinion => "opinion",
            AttachmentKind::Photo => "photo",
            AttachmentKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            AttachmentKind::Form => "推荐表",
            AttachmentKind::Evaluation => "民主测评表",
            AttachmentKind::Opinion => "部门意见",
            AttachmentKind::Photo => "照片",
            AttachmentKind::Other => "其他材料",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("只接受 PDF、JPEG 或 PNG 文件：此文件的内容不是其中任何一种 / only PDF, JPEG or PNG: this file's content is none of them")]
    NotAllowed,
    #[error("文件内容是 {actual}，但文件名是 {name}：请检查是否选错了文件 / the content is {actual} but the name is {name}")]
    Disguised { actual: &'static str, name: String },
    #[error("照片须为 JPEG 或 PNG / a photo must be JPEG or PNG")]
    PhotoNotImage,
    #[error("文件超过 10 MB / the file is larger than 10 MB")]
    TooLarge,
    #[error("文件是空的 / the file is empty")]
    Empty,
    #[error("请选择材料类型 / choose what the file is")]
    UnknownKind,
}

/// The file name as shown and downloaded: no directories, no control characters, at most 100
/// characters.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(100)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() || cleaned.starts_with('.') {
        format!("file{cleaned}")
    } else {
        cleaned
    }
}

/// Checks a file from its name, what it is declared to be and its first bytes.
pub fn check(file_name: &str, kind: AttachmentKind, head: &[u8]) -> Result<FileType, UploadError> {
    if head.is_empty() {
        return Err(UploadError::Empty);
    }
    let actual = sniff(head).ok_or(UploadError::NotAllowed)?;
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !actual.extensions().contains(&extension.as_str()) {
        return Err(UploadError::Disguised {
            actual: match actual {
                FileType::Pdf => "PDF",
                FileType::Jpeg => "JPEG",
                FileType::Png => "PNG",
            },
            name: safe_file_name(file_name),
        });
    }
    if kind == AttachmentKind::Photo && actual == FileType::Pdf {
        return Err(UploadError::PhotoNotImage);
    }
    Ok(actual)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

    #[test]
    fn content_decides() {
        assert_eq!(
            check("表.pdf", AttachmentKind::Form, b"%PDF-1.7\n"),
            Ok(FileType::Pdf)
        );
        assert_eq!(
            check("照片.JPG", AttachmentKind::Photo, &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileType::Jpeg)
        );
        assert_eq!(
            check("a.png", AttachmentKind::Photo, PNG),
            Ok(FileType::Png)
        );
        // An HTML page or a program renamed to .pdf is refused.
        assert_eq!(
            check(
                "表.pdf",
                AttachmentKind::Form,
                b"<html><script>alert(1)</script>"
            ),
            Err(UploadError::NotAllowed)
        );
        assert_eq!(
            check("x.pdf", AttachmentKind::Form, b"MZ\x90\x00"),
            Err(UploadError::NotAllowed)
        );
        // A real PDF named .png is not quietly accepted as a picture.
        assert!(matches!(
            check("photo.png", AttachmentKind::Photo, b"%PDF-1.4"),
            Err(UploadError::Disguised { actual: "PDF", .. })
        ));
        assert_eq!(
            check("p.pdf", AttachmentKind::Photo, b"%PDF-1.4"),
            Err(UploadError::PhotoNotImage)
        );
        assert_eq!(
            check("e.pdf", AttachmentKind::Form, b""),
            Err(UploadError::Empty)
        );
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("C:\\docs\\推荐表.pdf"), "推荐表.pdf");
        assert_eq!(safe_file_name("a\"<b>.pdf"), "ab.pdf");
        assert_eq!(safe_file_name(".htaccess"), "file.htaccess");
        assert_eq!(safe_file_name(""), "file");
    }

    #[test]
    fn kinds_round_trip() {
        for k in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(k.code()), Some(k));
        }
        assert_eq!(AttachmentKind::parse("exe"), None);
    }
}
