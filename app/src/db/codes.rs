//! Domain enums stored as their codes in TEXT columns. The domain knows nothing of SQL: these
//! impls (allowed here because the enums live in the same crate) are the one place that maps
//! them, for every backend whose `str` is a type — SQLite and PostgreSQL alike. A code that is
//! not known fails the row's decoding with the code named, instead of passing a stray string up.

use sqlx::{encode::IsNull, error::BoxDynError, Database, Decode, Encode, Type};

use crate::domain::attachments::AttachmentKind;
use crate::domain::objection::Outcome;
use crate::domain::procedure::{Role, Stage};
use crate::domain::quotas::Attribute;
use crate::domain::review::Verdict;

macro_rules! stored_as_code {
    ($($kind:ty),* $(,)?) => {$(
        impl<DB: Database> Type<DB> for $kind
        where
            str: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $kind
        where
            &'q str: Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                let code: &'q str = self.code();
                <&'q str as Encode<'q, DB>>::encode(code, buf)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $kind
        where
            &'r str: Decode<'r, DB>,
        {
            fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let code = <&'r str as Decode<'r, DB>>::decode(value)?;
                <$kind>::parse(code).ok_or_else(|| {
                    format!("unknown {} code {code:?}", stringify!($kind)).into()
                })
            }
        }
    )*};
}

stored_as_code!(Stage, Role, AttachmentKind, Verdict, Outcome, Attribute);
