"""arXiv titles and abstracts written in LaTeX as readable plain text (\\emph{x} -> x)."""

from __future__ import annotations

import re
import unicodedata

# Commands whose argument is shown as it is: text styles, math alphabets, boxes.
_KEEP_ARGUMENT = (
    "emph|textbf|textit|texttt|textsc|textrm|textsf|textsl|textup|textnormal|underline|uline|"
    "mathrm|mathbf|mathit|mathsf|mathtt|mathcal|mathbb|mathfrak|mathscr|boldsymbol|bm|"
    "text|mbox|hbox|operatorname|url|footnote|textsuperscript|textsubscript"
)
_STYLED = re.compile(r"\\(?:" + _KEEP_ARGUMENT + r")\*?\s*\{([^{}]*)\}")
_OLD_STYLE = re.compile(r"\{\\(?:em|bf|it|tt|sc|rm|sf|sl)\s+([^{}]*)\}")
_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_ACCENT = re.compile(
    r"\\([`'^\"~=.])\s*(?:\{\\?([A-Za-z])\}|\\?([A-Za-z]))"  # \'e, \"{o}
    r"|\\([vuHck])(?:\s*\{\\?([A-Za-z])\}|\s+([A-Za-z]))"  # \v{c}, \c c (never \cdot)
)
_COMBINING = {
    "`": "\u0300", "'": "\u0301", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "v": "\u030c", "u": "\u0306", "H": "\u030b", "c": "\u0327", "k": "\u0328",
}  # fmt: skip
_ESCAPED = re.compile(r"\\([%&_#${}])")
_MATH = re.compile(r"(?<!\\)\$\$?(?!\s)([^$]+?)(?<!\s)\$\$?")
_SCRIPT = re.compile(r"([_^])\{([^{}]*)\}|([_^])([A-Za-z0-9+\-=()])")
_SUB = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SUP = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ",
    "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "times": "×", "cdot": "·", "pm": "±", "mp": "∓",
    "sim": "~", "approx": "≈", "simeq": "≃", "neq": "≠", "ne": "≠", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "ll": "≪", "gg": "≫", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "Rightarrow": "⇒", "infty": "∞", "in": "∈", "partial": "∂",
    "nabla": "∇", "sum": "∑", "prod": "∏", "int": "∫", "propto": "∝", "circ": "°",
    "ldots": "…", "dots": "…", "cdots": "⋯", "log": "log", "exp": "exp", "sqrt": "√",
    "prime": "′", "degree": "°", "langle": "⟨", "rangle": "⟩", "ell": "ℓ", "hbar": "ℏ",
    "AA": "Å", "aa": "å", "o": "ø", "O": "Ø", "ss": "ß", "ae": "æ", "i": "ı", "l": "ł",
}  # fmt: skip
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_DROPPED = {"left", "right", "big", "Big", "bigg", "Bigg", "mathrm", "displaystyle", "quad"}
_SPACES = re.compile(r"[ \t]{2,}")


def _script(match: re.Match[str]) -> str:
    """CO$_2$ -> CO₂, $10^{-3}$ -> 10⁻³; kept as _i / ^(ab) when Unicode has no small form."""
    mark = match.group(1) or match.group(3)
    body = match.group(2) if match.group(1) else match.group(4)
    table = _SUB if mark == "_" else _SUP
    if body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _math(match: re.Match[str]) -> str:
    return _SCRIPT.sub(_script, match.group(1))


def _command(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _DROPPED:
        return ""
    return _SYMBOLS.get(name, name)


def _accent(match: re.Match[str]) -> str:
    mark = match.group(1) or match.group(4)
    letter = match.group(2) or match.group(3) or match.group(5) or match.group(6)
    return unicodedata.normalize("NFC", letter + _COMBINING[mark])


def plain_text(text: str) -> str:
    """The text a reader expects from arXiv metadata written in LaTeX: markup removed,
    accents and Greek letters as Unicode, math without its dollar signs. Text without a
    backslash or a dollar sign comes back unchanged."""
    if "\\" not in text and "$" not in text:
        return text
    out = _ACCENT.sub(_accent, text)
    out = _HREF.sub(lambda m: f"{m.group(2)} ({m.group(1)})", out)
    for _ in range(4):  # nested styles: \textbf{\emph{x}}
        changed = _OLD_STYLE.sub(r"\1", _STYLED.sub(r"\1", out))
        changed = _SQRT.sub(r"√(\1)", _FRAC.sub(r"\1/\2", changed))
        if changed == out:
            break
        out = changed
    out = _MATH.sub(_math, out)
    out = _ESCAPED.sub(r"\1", out)
    out = out.replace("\\\\", " ").replace("\\,", " ").replace("\\ ", " ")
    out = _COMMAND.sub(_command, out)
    out = re.sub(r"(?<![\w/])\{([^{}]*)\}", r"\1", out)  # bare grouping braces
    return _SPACES.sub(" ", out).strip()
