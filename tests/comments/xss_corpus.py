"""The XSS and HTML-injection corpus, and a checker that rendered HTML holds nothing active.

Payloads: every line of the PayloadsAllTheThings lists in xss_payloads/, each event handler of
the PortSwigger list put to work in a tag, and our own for attribute, URL, template, placeholder
and parser-confusion contexts.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "xss_payloads"
LISTS = [
    "BRUTELOGIC-XSS-STRINGS.txt",
    "IntrudersXSS.txt",
    "RSNAKE_XSS.txt",
    "XSS_Polyglots.txt",
]

OWN = [
    # Breaking out of an attribute value.
    '" autofocus onfocus="alert(1)',
    "' onmouseover='alert(1)' x='",
    '"><img src=x onerror=alert(1)>',
    'x" onerror="alert(1)" src="x',
    # URLs that must never become a link target.
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    'http://example.com/"onmouseover="alert(1)',
    "https://example.com/<script>alert(1)</script>",
    'https://example.com/?q="><svg/onload=alert(1)>',
    'http://x.example/#"><img src=x onerror=alert(1)>',
    'www.example.com/"onclick=alert(1)//',
    "https://example.com/'onmouseover='alert(1)'",
    "https://user:pass@evil.example/@faq.whatsapp.com",
    # Script, template and placeholder contexts.
    "</script><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ 7|add:7 }}{% debug %}",
    "{service.__class__.__init__.__globals__}",
    "{0.__class__}{status!r}",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "<!--<script>-->alert(1)",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    # Elements that load, style or redirect.
    "<style>@import'//evil.example/x.css';</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//evil.example/">',
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    # Parser confusion (mutation XSS).
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript&colon;alert(1)">x</a>',
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "javascript\u0000:alert(1)",
    "<img src=x onerror=alert(1)//",
    "<<script>script>alert(1)<</script>/script>",
    "\u202e<script>alert(1)</script>",
]


def _lines(name: str) -> list[str]:
    text = (FOLDER / name).read_text(encoding="utf-8", errors="replace")
    return [line.rstrip("\r") for line in text.split("\n") if line.strip()]


def payloads() -> list[str]:
    corpus: list[str] = []
    for name in LISTS:
        corpus += _lines(name)
    corpus += [
        f'"><b {handler}=alert(1) tabindex=1>x</b>'
        for handler in _lines("port_swigger_xss_cheatsheet_event_handlers.txt")
    ]
    corpus += OWN
    return list(dict.fromkeys(corpus))


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "body", "a", "header", "main", "section", "h1",
    "h2", "h3", "p", "ol", "ul", "li", "strong", "time", "div", "form", "button", "input",
    "label", "textarea", "select", "option", "span", "nav", "br", "details", "summary",
    "blockquote", "kbd", "code", "table", "thead", "tbody", "tr", "th", "td", "script",
}  # fmt: skip
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
_SAFE_URL = re.compile(r"^(?:https?://|/|\?|#)", re.IGNORECASE)


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.open_script = False
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"unexpected element <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name in _URL_ATTRS and value and not _SAFE_URL.match(value.strip()):
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "script":
            self.scripts += 1
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append("inline or foreign <script>")
            self.open_script = True
        if tag == "link" and not (dict(attrs).get("href") or "").startswith("/static/"):
            self.problems.append("foreign <link>")
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.problems.append("<meta http-equiv>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.open_script = False

    def handle_data(self, data):
        if self.open_script and data.strip():
            self.problems.append("script content")


def active_content(html: str) -> list[str]:
    """Everything in `html` that could run or load something; [] when the page is inert."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = collector.problems
    if html.lower().count("<script") != collector.scripts:
        problems.append("a <script that the parser did not see as our own")
    return problems
