//! A faithful subset of expr-lang (github.com/expr-lang/expr v1.17, the language of KEDA's
//! `scalingModifiers.formula`): a tokenizer, the free identifiers a formula reads, and whether its
//! top level is boolean. Not an evaluator. What it does not model (calls to functions it does not
//! know, keys of map literals that look like ternaries) it leaves alone rather than guess, so it
//! can miss an error but does not invent one.

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Ident(String),
    Number,
    Str,
    Op(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tok {
    pub token: Token,
    /// Byte offset in the formula.
    pub at: usize,
    pub len: usize,
}

pub const KEYWORDS: &[&str] = &["and", "or", "not", "in", "matches", "contains", "startsWith", "endsWith", "let", "true", "false", "nil", "if", "else"];

/// expr-lang's built-in functions (expr/builtin).
pub const BUILTINS: &[&str] = &[
    "all", "none", "any", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex", "count", "sum", "groupBy",
    "sortBy", "reduce", "len", "type", "abs", "ceil", "floor", "round", "max", "min", "mean", "median", "int", "float", "string",
    "trim", "trimPrefix", "trimSuffix", "upper", "lower", "split", "splitAfter", "replace", "repeat", "indexOf", "lastIndexOf",
    "hasPrefix", "hasSuffix", "now", "duration", "date", "timezone", "first", "last", "get", "take", "keys", "values", "toPairs",
    "fromPairs", "toJSON", "fromJSON", "toBase64", "fromBase64", "join", "sort", "flatten", "uniq", "concat", "bitand", "bitor",
    "bitxor", "bitnand", "bitnot", "bitshl", "bitshr", "bitushr",
];

pub fn tokenize(src: &str) -> Result<Vec<Tok>, String> {
    let b = src.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let token = if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            Token::Ident(src[start..i].to_owned())
        } else if c.is_ascii_digit() || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || (b[i] == b'.' && b.get(i + 1) != Some(&b'.'))) {
                i += 1;
            }
            Token::Number
        } else if c == b'"' || c == b'\'' || c == b'`' {
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' && c != b'`' {
                    i += 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("literal not terminated (1:{})", start + 1));
            }
            i += 1;
            Token::Str
        } else {
            const OPS: &[&str] = &["?.", "??", "...", "..", "==", "!=", "<=", ">=", "&&", "||", "**", "|"];
            let op = OPS.iter().find(|o| src[i..].starts_with(**o)).map_or_else(|| (c as char).to_string(), |o| (*o).to_owned());
            if op.len() == 1 && !"+-*/%^<>!?:.,;()[]{}#|=".contains(c as char) {
                return Err(format!("unexpected token {:?} (1:{})", c as char, start + 1));
            }
            i += op.len();
            Token::Op(op)
        };
        out.push(Tok { token, at: start, len: i - start });
    }
    Ok(out)
}

/// Identifiers the formula reads from its environment, with their offsets: not keywords, not
/// called as functions, not members (`a.b`), not `let`-bound, not map-literal keys.
pub fn free_identifiers(tokens: &[Tok]) -> Vec<(String, usize)> {
    let mut bound: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut brace_depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match &t.token {
            Token::Op(o) if o == "{" => brace_depth += 1,
            Token::Op(o) if o == "}" => brace_depth = brace_depth.saturating_sub(1),
            Token::Ident(name) => {
                let prev = i.checked_sub(1).map(|p| &tokens[p].token);
                let next = tokens.get(i + 1).map(|n| &n.token);
                if KEYWORDS.contains(&name.as_str()) {
                    continue;
                }
                if matches!(prev, Some(Token::Ident(k)) if k == "let") {
                    bound.push(name.clone());
                    continue;
                }
                if matches!(prev, Some(Token::Op(o)) if o == "." || o == "?.") {
                    continue;
                }
                if matches!(next, Some(Token::Op(o)) if o == "(") {
                    continue;
                }
                if brace_depth > 0 && matches!(next, Some(Token::Op(o)) if o == ":") {
                    continue;
                }
                if bound.contains(name) {
                    continue;
                }
                out.push((name.clone(), t.at));
            }
            _ => {}
        }
    }
    out
}

/// Whether the formula's value is evidently boolean: a comparison or logical operator at its top
/// level (inside a leading `float(...)` if there is one) with no ternary there.
pub fn is_boolean(tokens: &[Tok]) -> bool {
    let mut body = tokens;
    if let [Tok { token: Token::Ident(f), .. }, Tok { token: Token::Op(o), .. }, rest @ .., Tok { token: Token::Op(c), .. }] = tokens
        && f == "float" && o == "(" && c == ")" {
            body = rest;
        }
    let mut depth = 0i32;
    let mut boolean = false;
    for t in body {
        match &t.token {
            Token::Op(o) if matches!(o.as_str(), "(" | "[" | "{") => depth += 1,
            Token::Op(o) if matches!(o.as_str(), ")" | "]" | "}") => depth -= 1,
            Token::Op(o) if depth == 0 && matches!(o.as_str(), "?" | "??" | ";") => return false,
            Token::Op(o) if depth == 0 && matches!(o.as_str(), "==" | "!=" | "<" | ">" | "<=" | ">=" | "&&" | "||" | "!") => boolean = true,
            Token::Ident(k) if depth == 0 && matches!(k.as_str(), "and" | "or" | "not" | "in" | "matches" | "contains" | "startsWith" | "endsWith" | "let") => {
                if k == "let" {
                    return false;
                }
                boolean = true;
            }
            _ => {}
        }
    }
    boolean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn free(src: &str) -> Vec<String> {
        free_identifiers(&tokenize(src).unwrap()).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn identifiers_a_formula_reads() {
        assert_eq!(free("trig_one + trig_two"), ["trig_one", "trig_two"]);
        assert_eq!(free("float(a > 2 ? b : c)"), ["a", "b", "c"]);
        assert_eq!(free("count([a, b], # > 1)"), ["a", "b"]);
        assert_eq!(free("let x = a * 2; x + b"), ["a", "b"]);
        assert_eq!(free("a.field + max(b, 1)"), ["a", "b"]);
        assert_eq!(free("{k: a}.k"), ["a"]);
        assert_eq!(free("(a ?? b) / 2"), ["a", "b"]);
        assert_eq!(free("true ? 1 : nil"), Vec::<String>::new());
    }

    #[test]
    fn booleans_at_the_top() {
        assert!(is_boolean(&tokenize("a > 5").unwrap()));
        assert!(is_boolean(&tokenize("float(a > 5)").unwrap()));
        assert!(!is_boolean(&tokenize("a > 5 ? 1 : 0").unwrap()));
        assert!(!is_boolean(&tokenize("(a + b) / 2").unwrap()));
        assert!(!is_boolean(&tokenize("count([a, b], # > 1)").unwrap()));
    }

    #[test]
    fn unterminated_strings_are_errors() {
        assert!(tokenize("a + 'x").is_err());
    }
}
