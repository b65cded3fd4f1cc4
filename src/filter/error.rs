//! [`CompileError`]: why an expression was refused, and where.

use super::span::Span;
use alloc::string::String;

/// A refused filter expression: the kind of problem and the span of the offending text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct CompileError {
    /// The bytes of the expression the problem is about (empty at the end of input).
    pub span: Span,
    /// What is wrong.
    pub kind: CompileErrorKind,
}

impl CompileError {
    /// An error of `kind` at `span`.
    pub fn new(span: Span, kind: CompileErrorKind) -> Self {
        CompileError { span, kind }
    }
}

/// The kinds of compile errors; tests match on these, users read the `Display` text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileErrorKind {
    /// A character that cannot start any token.
    #[error("illegal character '{0}'")]
    IllegalChar(char),
    /// A number that does not fit in 32 bits or has a bad digit.
    #[error("{0}")]
    BadNumber(String),
    /// The grammar does not allow this token here.
    #[error("syntax error: unexpected {0}")]
    Syntax(String),
    /// The expression ends where more was expected.
    #[error("syntax error: the expression ends too early")]
    UnexpectedEnd,
    /// A port number above 65535.
    #[error("illegal port number {0} > 65535")]
    PortRange(u64),
    /// A name the built-in tables or the resolver do not know.
    #[error("unknown {what} '{name}'")]
    Unknown {
        /// What kind of name: "host", "port", "protocol", ...
        what: &'static str,
        /// The name as written.
        name: String,
    },
    /// A host name with no resolver configured.
    #[error("cannot resolve host name '{0}': no resolver configured")]
    NoResolver(String),
    /// A qualifier that does not apply to this primitive (libpcap's wording).
    #[error("{0}")]
    BadQualifier(String),
    /// An address, mask or value that is malformed or out of range (libpcap's wording).
    #[error("{0}")]
    BadValue(String),
    /// Something libpcap accepts only on other link types or capture setups.
    #[error("{0}")]
    NotHere(String),
    /// A construct libpcap supports that rawcap's compiler does not implement.
    #[error("{0} is not supported by rawcap")]
    Unsupported(String),
    /// The optimized program can only return 0 (libpcap refuses it the same way).
    #[error("expression rejects all packets")]
    RejectsAll,
    /// Parentheses or operators nested deeper than the compiler allows.
    #[error("expression nested too deeply")]
    TooDeep,
    /// The expression needs more code or scratch registers than allowed.
    #[error("expression too complex: {0}")]
    TooComplex(String),
}
