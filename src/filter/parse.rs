//! The parser: tokens to an [`Expr`], following libpcap's grammar.y.
//!
//! Recursive descent with the grammar's decisions made by looking ahead:
//! - `and`/`or` have equal precedence and associate to the left;
//! - after `and`/`or` an operand that starts with a value (name, address,
//!   number not followed by arithmetic) is an `id` that inherits the
//!   qualifiers of the previous primitive (`host a or b`);
//! - `^` and `%` have no precedence in libpcap 1.10's grammar, so bison
//!   shifts: the right operand is the whole rest of the arithmetic
//!   expression (`55 % 5 | 13` is `55 % (5 | 13)`).
//!
//! Nesting is bounded by [`MAX_DEPTH`]; deeper input is refused, never a stack overflow.

use super::ast::{
    AddrQ, Arith, ArithOp, ByteOp, Conj, Dir, Expr, LlcType, Prim, Proto, Qual, RelOp, Value,
};
use super::error::{CompileError, CompileErrorKind, NameKind, Unsupported};
use super::lex::{Kw, Tok, Token};
use super::span::Span;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Deepest nesting of parentheses, negations and arithmetic the parser accepts.
pub const MAX_DEPTH: u32 = 200;

/// Parses tokens into an expression; `None` for the empty expression (accept all).
///
/// # Errors
/// A syntax error, pointing at the offending token (or the end of input).
pub fn parse(text: &str, tokens: &[Token]) -> Result<Option<Expr>, CompileError> {
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser {
        text,
        toks: tokens,
        pos: 0,
        depth: 0,
    };
    let (e, _) = p.expr(None)?;
    if p.pos < tokens.len() {
        return Err(p.unexpected());
    }
    Ok(Some(e))
}

/// The inherited qualifiers: `None` is libpcap's `qerr`.
type Q = Option<Qual>;

struct Parser<'a> {
    text: &'a str,
    toks: &'a [Token],
    pos: usize,
    depth: u32,
}

/// Whether `t` starts the direction/address part of a qualifier (`src`, `host`, `proto`...).
fn starts_head(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Kw(
            Kw::Src
                | Kw::Dst
                | Kw::Host
                | Kw::Net
                | Kw::Port
                | Kw::Portrange
                | Kw::Proto
                | Kw::Protochain
                | Kw::Gateway
        )
    )
}

fn is_relop(t: &Tok) -> bool {
    matches!(t, Tok::Gt | Tok::Lt | Tok::Ge | Tok::Le | Tok::Eq | Tok::Ne)
}

fn is_arith_op(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Plus
            | Tok::Minus
            | Tok::Star
            | Tok::Slash
            | Tok::Percent
            | Tok::Amp
            | Tok::Pipe
            | Tok::Caret
            | Tok::Lsh
            | Tok::Rsh
    )
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Tok> {
        self.toks.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(self.pos + k).map(|t| &t.tok)
    }

    fn span(&self) -> Span {
        match self.toks.get(self.pos) {
            Some(t) => t.span,
            None => Span::new(self.text.len(), self.text.len()),
        }
    }

    fn prev_span(&self) -> Span {
        self.toks
            .get(self.pos.wrapping_sub(1))
            .map(|t| t.span)
            .unwrap_or_default()
    }

    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn unexpected(&self) -> CompileError {
        match self.toks.get(self.pos) {
            Some(t) => {
                let s = &self.text[t.span.start as usize..t.span.end as usize];
                CompileError::new(t.span, CompileErrorKind::Unexpected(s.into()))
            }
            None => CompileError::new(self.span(), CompileErrorKind::UnexpectedEnd),
        }
    }

    fn expect(&mut self, t: &Tok) -> Result<(), CompileError> {
        if self.eat(t) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn enter(&mut self) -> Result<(), CompileError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(CompileError::new(self.span(), CompileErrorKind::TooDeep));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn num(&mut self) -> Result<(u32, Span), CompileError> {
        match self.peek() {
            Some(Tok::Num(n)) => {
                let s = self.span();
                self.pos += 1;
                Ok((*n, s))
            }
            _ => Err(self.unexpected()),
        }
    }

    /// `pnum: NUM | '(' pnum ')'`
    fn pnum(&mut self) -> Result<(u32, Span), CompileError> {
        if self.eat(&Tok::LParen) {
            self.enter()?;
            let v = self.pnum()?;
            self.expect(&Tok::RParen)?;
            self.leave();
            Ok(v)
        } else {
            self.num()
        }
    }

    /// The index of the token after the `)` matching the `(` at `pos`.
    fn after_matching_paren(&self, pos: usize) -> usize {
        let mut depth = 0usize;
        let mut i = pos;
        while i < self.toks.len() {
            match self.toks[i].tok {
                Tok::LParen => depth += 1,
                Tok::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        i
    }

    /// Whether the `(` at `pos` opens arithmetic (`(a + 1) > 2`) rather than an expression.
    fn paren_is_arith(&self, pos: usize) -> bool {
        let after = self.after_matching_paren(pos);
        self.toks
            .get(after)
            .is_some_and(|t| is_relop(&t.tok) || is_arith_op(&t.tok))
    }

    /// Whether the operand at the current position is an `id` (inherits
    /// qualifiers) rather than a `term`.
    fn starts_id(&self) -> bool {
        let mut i = self.pos;
        while let Some(t) = self.toks.get(i) {
            match t.tok {
                Tok::Not | Tok::LParen => i += 1,
                _ => break,
            }
        }
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Id(_) | Tok::Hid(_) | Tok::Hid6(_) | Tok::Eid(_)) => true,
            Some(Tok::Num(_)) => {
                let mut j = i + 1;
                while self.toks.get(j).is_some_and(|t| t.tok == Tok::RParen) {
                    j += 1;
                }
                !self
                    .toks
                    .get(j)
                    .is_some_and(|t| is_relop(&t.tok) || is_arith_op(&t.tok))
            }
            _ => false,
        }
    }

    /// Consumes `and`/`or`, if next.
    fn conj(&mut self) -> Option<Conj> {
        let c = match self.peek() {
            Some(Tok::And) => Conj::And,
            Some(Tok::Or) => Conj::Or,
            _ => return None,
        };
        self.pos += 1;
        Some(c)
    }

    /// `expr: term | expr and (term|id) | expr or (term|id)`
    fn expr(&mut self, left: Q) -> Result<(Expr, Q), CompileError> {
        self.enter()?;
        let (first, mut q) = self.term(left)?;
        let mut rest = Vec::new();
        while let Some(conj) = self.conj() {
            let (e, q2) = if self.starts_id() {
                self.id(q)?
            } else {
                self.term(q)?
            };
            rest.push((conj, e));
            q = q2;
        }
        self.leave();
        let e = if rest.is_empty() {
            first
        } else {
            Expr::Chain(Box::new(first), rest)
        };
        Ok((e, q))
    }

    /// `term: rterm | not term`
    fn term(&mut self, left: Q) -> Result<(Expr, Q), CompileError> {
        if self.eat(&Tok::Not) {
            self.enter()?;
            let (e, q) = self.term(left)?;
            self.leave();
            return Ok((Expr::Not(Box::new(e)), q));
        }
        self.rterm(left)
    }

    /// `id: nid | pnum | '(' pid ')'`; `nid` includes `not id`.
    fn id(&mut self, left: Q) -> Result<(Expr, Q), CompileError> {
        self.enter()?;
        let r = match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                let (e, q) = self.id(left)?;
                Ok((Expr::Not(Box::new(e)), q))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let r = self.pid(left)?;
                self.expect(&Tok::RParen)?;
                Ok(r)
            }
            _ => self.value(left).map(|e| (e, left)),
        };
        self.leave();
        r
    }

    /// `pid: nid | qid and id | qid or id` (a parenthesised list of values).
    fn pid(&mut self, left: Q) -> Result<(Expr, Q), CompileError> {
        if self.peek() == Some(&Tok::LParen) {
            return Err(self.unexpected());
        }
        let (first, q) = self.id(left)?;
        let mut rest = Vec::new();
        while let Some(conj) = self.conj() {
            let (e, _) = self.id(q)?;
            rest.push((conj, e));
        }
        let e = if rest.is_empty() {
            first
        } else {
            Expr::Chain(Box::new(first), rest)
        };
        Ok((e, q))
    }

    /// A value (name, number, address) with the inherited qualifiers.
    fn value(&mut self, q: Q) -> Result<Expr, CompileError> {
        let start = self.span();
        let Some(tok) = self.peek() else {
            return Err(self.unexpected());
        };
        let v = match tok {
            Tok::Num(n) => {
                self.pos += 1;
                Value::Num(*n)
            }
            Tok::Id(s) => {
                self.pos += 1;
                Value::Name(s.clone())
            }
            Tok::Eid(m) => {
                self.pos += 1;
                Value::Mac(*m)
            }
            Tok::Hid(s) => {
                self.pos += 1;
                if self.eat(&Tok::Slash) {
                    let (n, _) = self.num()?;
                    Value::Ipv4Len(s.clone(), n)
                } else if self.eat(&Tok::Kw(Kw::Mask)) {
                    match self.peek() {
                        Some(Tok::Hid(m)) => {
                            self.pos += 1;
                            Value::Ipv4Mask(s.clone(), m.clone())
                        }
                        _ => return Err(self.unexpected()),
                    }
                } else {
                    if let Some(q) = q {
                        let what = match q.addr {
                            AddrQ::Port => "port",
                            AddrQ::Portrange => "portrange",
                            AddrQ::Proto => "proto",
                            AddrQ::Protochain => "protochain",
                            _ => "",
                        };
                        if !what.is_empty() {
                            return Err(CompileError::new(
                                start,
                                CompileErrorKind::Modifier {
                                    modifier: what,
                                    target: "ip host",
                                },
                            ));
                        }
                    }
                    Value::Ipv4(s.clone())
                }
            }
            Tok::Hid6(s) => {
                self.pos += 1;
                let len = if self.eat(&Tok::Slash) {
                    self.num()?.0
                } else {
                    128
                };
                Value::Ipv6(s.clone(), len)
            }
            _ => return Err(self.unexpected()),
        };
        let span = start.to(self.prev_span());
        // libpcap's `qerr` has address type Q_UNDEF: a syntax error.
        let Some(q) = q else {
            return Err(CompileError::new(
                span,
                CompileErrorKind::NeedsQualifier(
                    self.text[span.start as usize..span.end as usize].into(),
                ),
            ));
        };
        Ok(Expr::Prim(Prim::Id(q, v), span))
    }

    /// `rterm: head id | '(' expr ')' | pname | arth relop arth | other`
    fn rterm(&mut self, left: Q) -> Result<(Expr, Q), CompileError> {
        let start = self.span();
        let Some(tok) = self.peek() else {
            return Err(self.unexpected());
        };
        match tok {
            Tok::LParen if !self.paren_is_arith(self.pos) => {
                self.pos += 1;
                let (e, _) = self.expr(left)?;
                self.expect(&Tok::RParen)?;
                Ok((e, left))
            }
            Tok::LParen | Tok::Num(_) | Tok::Minus | Tok::Kw(Kw::Len) => self.relation(),
            Tok::Pname(_) if self.peek_at(1) == Some(&Tok::LBrack) => self.relation(),
            Tok::Pname(p) => {
                let p = *p;
                match self.peek_at(1) {
                    Some(Tok::Kw(Kw::Broadcast)) => {
                        self.pos += 2;
                        Ok((
                            Expr::Prim(Prim::Broadcast(p), start.to(self.prev_span())),
                            None,
                        ))
                    }
                    Some(Tok::Kw(Kw::Multicast)) => {
                        self.pos += 2;
                        Ok((
                            Expr::Prim(Prim::Multicast(p), start.to(self.prev_span())),
                            None,
                        ))
                    }
                    Some(t) if starts_head(t) => {
                        self.pos += 1;
                        self.head(p)
                    }
                    _ => {
                        self.pos += 1;
                        Ok((Expr::Prim(Prim::Proto(p), start), None))
                    }
                }
            }
            t if starts_head(t) => self.head(Proto::Default),
            Tok::Kw(kw) => {
                let kw = *kw;
                self.pos += 1;
                let prim = match kw {
                    Kw::Broadcast => Prim::Broadcast(Proto::Default),
                    Kw::Multicast => Prim::Multicast(Proto::Default),
                    Kw::Less => Prim::Less(self.num()?.0),
                    Kw::Greater => Prim::Greater(self.num()?.0),
                    Kw::Inbound => Prim::Inbound,
                    Kw::Outbound => Prim::Outbound,
                    Kw::Ifindex => Prim::Ifindex(self.num()?.0),
                    Kw::Vlan => Prim::Vlan(self.opt_pnum()?),
                    Kw::Mpls => Prim::Mpls(self.opt_pnum()?),
                    Kw::Pppoed => Prim::Pppoed,
                    Kw::Pppoes => Prim::Pppoes(self.opt_pnum()?),
                    Kw::Geneve => Prim::Geneve(self.opt_pnum()?),
                    Kw::Llc => Prim::Llc(self.llc_type()?),
                    Kw::Byte => {
                        let idx = self.num()?.0;
                        let op = match self.peek() {
                            Some(Tok::Eq) => ByteOp::Eq,
                            Some(Tok::Lt) => ByteOp::Lt,
                            Some(Tok::Gt) => ByteOp::Gt,
                            Some(Tok::Amp) => ByteOp::And,
                            Some(Tok::Pipe) => ByteOp::Or,
                            _ => return Err(self.unexpected()),
                        };
                        self.pos += 1;
                        Prim::Byte(idx, op, self.num()?.0)
                    }
                    Kw::Other(name) => {
                        return Err(CompileError::new(
                            start,
                            CompileErrorKind::Unsupported(Unsupported::Keyword(name)),
                        ))
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self.unexpected());
                    }
                };
                Ok((Expr::Prim(prim, start.to(self.prev_span())), None))
            }
            _ => Err(self.unexpected()),
        }
    }

    /// The frame type after `llc`, if one follows (`LLC ID`, or `LLC PF_RNR`:
    /// `rnr` is also a pflog keyword).
    fn llc_type(&mut self) -> Result<Option<LlcType>, CompileError> {
        let name = match self.peek() {
            Some(Tok::Id(name)) => name.as_str(),
            Some(Tok::Kw(Kw::Other("rnr"))) => "rnr",
            _ => return Ok(None),
        };
        let span = self.span();
        self.pos += 1;
        match LlcType::from_name(name) {
            Some(t) => Ok(Some(t)),
            None => Err(CompileError::new(
                span,
                CompileErrorKind::Unknown {
                    what: NameKind::LlcType,
                    name: name.into(),
                },
            )),
        }
    }

    fn opt_pnum(&mut self) -> Result<Option<u32>, CompileError> {
        match self.peek() {
            Some(Tok::Num(_) | Tok::LParen) => Ok(Some(self.pnum()?.0)),
            _ => Ok(None),
        }
    }

    /// `head id`, with the protocol qualifier (if any) already consumed.
    fn head(&mut self, proto: Proto) -> Result<(Expr, Q), CompileError> {
        let mut dir = Dir::Default;
        let addr;
        match self.peek() {
            Some(Tok::Kw(Kw::Proto)) => {
                self.pos += 1;
                addr = AddrQ::Proto;
            }
            Some(Tok::Kw(Kw::Protochain)) => {
                self.pos += 1;
                addr = AddrQ::Protochain;
            }
            Some(Tok::Kw(Kw::Gateway)) => {
                self.pos += 1;
                addr = AddrQ::Gateway;
            }
            _ => {
                let first = self.peek();
                if let Some(Tok::Kw(d @ (Kw::Src | Kw::Dst))) = first {
                    self.pos += 1;
                    dir = if *d == Kw::Src { Dir::Src } else { Dir::Dst };
                    let other = if *d == Kw::Src { Kw::Dst } else { Kw::Src };
                    let combined = match self.peek() {
                        Some(Tok::Or) => Some(Dir::Or),
                        Some(Tok::And) => Some(Dir::And),
                        _ => None,
                    };
                    if let Some(c) = combined {
                        self.pos += 1;
                        self.expect(&Tok::Kw(other))?;
                        dir = c;
                    }
                }
                addr = match self.peek() {
                    Some(Tok::Kw(Kw::Host)) => AddrQ::Host,
                    Some(Tok::Kw(Kw::Net)) => AddrQ::Net,
                    Some(Tok::Kw(Kw::Port)) => AddrQ::Port,
                    Some(Tok::Kw(Kw::Portrange)) => AddrQ::Portrange,
                    _ => AddrQ::Default,
                };
                if addr != AddrQ::Default {
                    self.pos += 1;
                }
            }
        }
        let q = Some(Qual { proto, dir, addr });
        self.id(q)
    }

    /// `arth relop arth`
    fn relation(&mut self) -> Result<(Expr, Q), CompileError> {
        let start = self.span();
        let lhs = self.arith(0)?;
        let op = match self.peek() {
            Some(Tok::Gt) => RelOp::Gt,
            Some(Tok::Ge) => RelOp::Ge,
            Some(Tok::Eq) => RelOp::Eq,
            Some(Tok::Le) => RelOp::Le,
            Some(Tok::Lt) => RelOp::Lt,
            Some(Tok::Ne) => RelOp::Ne,
            _ => return Err(self.unexpected()),
        };
        self.pos += 1;
        let rhs = self.arith(0)?;
        let span = start.to(self.prev_span());
        Ok((Expr::Prim(Prim::Rel(op, lhs, rhs), span), None))
    }

    /// Precedence climbing over libpcap's levels: `|` < `&` < shifts < `+ -` < `* / %`.
    fn arith(&mut self, min_prec: u8) -> Result<Arith, CompileError> {
        self.enter()?;
        let mut lhs = self.unary()?;
        let mut chain = 0u32;
        loop {
            let (op, prec) = match self.peek() {
                Some(Tok::Pipe) => (ArithOp::Or, 1),
                Some(Tok::Amp) => (ArithOp::And, 2),
                Some(Tok::Lsh) => (ArithOp::Lsh, 3),
                Some(Tok::Rsh) => (ArithOp::Rsh, 3),
                Some(Tok::Plus) => (ArithOp::Add, 4),
                Some(Tok::Minus) => (ArithOp::Sub, 4),
                Some(Tok::Star) => (ArithOp::Mul, 5),
                Some(Tok::Slash) => (ArithOp::Div, 5),
                _ => break,
            };
            if prec < min_prec {
                break;
            }
            let span = self.span();
            self.pos += 1;
            let rhs = self.arith(prec + 1)?;
            chain += 1;
            if chain > MAX_DEPTH {
                return Err(CompileError::new(span, CompileErrorKind::TooDeep));
            }
            lhs = Arith::Bin(op, Box::new(lhs), Box::new(rhs), span);
        }
        self.leave();
        Ok(lhs)
    }

    /// Unary minus, a primary, and `^`/`%` (whose right operand is the rest of the expression).
    fn unary(&mut self) -> Result<Arith, CompileError> {
        if self.eat(&Tok::Minus) {
            self.enter()?;
            let a = self.unary()?;
            self.leave();
            return Ok(Arith::Neg(Box::new(a)));
        }
        let p = self.primary()?;
        let op = match self.peek() {
            Some(Tok::Caret) => ArithOp::Xor,
            Some(Tok::Percent) => ArithOp::Mod,
            _ => return Ok(p),
        };
        let span = self.span();
        self.pos += 1;
        let rhs = self.arith(0)?;
        Ok(Arith::Bin(op, Box::new(p), Box::new(rhs), span))
    }

    fn primary(&mut self) -> Result<Arith, CompileError> {
        let start = self.span();
        match self.peek() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Arith::Num(*n, start))
            }
            Some(Tok::Kw(Kw::Len)) => {
                self.pos += 1;
                Ok(Arith::Len)
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let a = self.arith(0)?;
                self.expect(&Tok::RParen)?;
                Ok(a)
            }
            Some(Tok::Pname(p)) if self.peek_at(1) == Some(&Tok::LBrack) => {
                let proto = *p;
                self.pos += 2;
                let index = self.arith(0)?;
                let size = if self.eat(&Tok::Colon) {
                    self.num()?.0
                } else {
                    1
                };
                self.expect(&Tok::RBrack)?;
                Ok(Arith::Load {
                    proto,
                    index: Box::new(index),
                    size,
                    span: start.to(self.prev_span()),
                })
            }
            _ => Err(self.unexpected()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn p(s: &str) -> Result<Option<Expr>, CompileError> {
        parse(s, &lex(s)?)
    }

    #[test]
    fn qualifiers_are_inherited() {
        let e = p("host 1.2.3.4 or 5.6.7.8").unwrap().unwrap();
        let Expr::Chain(_, rest) = &e else { panic!() };
        let Expr::Prim(Prim::Id(q, _), _) = &rest[0].1 else {
            panic!()
        };
        assert_eq!(q.addr, AddrQ::Host);
        let e = p("tcp dst port 21 or 20").unwrap().unwrap();
        let Expr::Chain(_, rest) = &e else { panic!() };
        let Expr::Prim(Prim::Id(q, Value::Num(20)), _) = &rest[0].1 else {
            panic!()
        };
        assert_eq!(
            (q.proto, q.dir, q.addr),
            (Proto::Tcp, Dir::Dst, AddrQ::Port)
        );
    }

    #[test]
    fn syntax_errors_point_at_the_token() {
        let e = p("tcp port 80 and").unwrap_err();
        assert_eq!(*e.kind(), CompileErrorKind::UnexpectedEnd);
        assert_eq!(e.span(), Span::new(15, 15));
        let e = p("ip proto tcp").unwrap_err();
        assert_eq!(e.span(), Span::new(9, 12));
        assert!(p("1.2.3.4").is_err());
        assert!(p("tcp or 80").is_err());
        assert!(p("len-1 > 0").is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let s = "(".repeat(10_000) + "tcp" + &")".repeat(10_000);
        assert_eq!(*p(&s).unwrap_err().kind(), CompileErrorKind::TooDeep);
        let s = "not ".repeat(10_000) + "tcp";
        assert_eq!(*p(&s).unwrap_err().kind(), CompileErrorKind::TooDeep);
        let s = "1".to_string() + &"+1".repeat(10_000) + " > 0";
        assert_eq!(*p(&s).unwrap_err().kind(), CompileErrorKind::TooDeep);
    }
}
