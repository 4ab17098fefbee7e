"""Shared by the comments browser tests: log a staff user in, and look for anything active."""

from tests.factories import PASSWORD

# Run in the page: every element with an event handler, a script not from /static/, a link or
# source with a script URL, and any element inside the places that show reader or moderator
# text (where only links and line breaks belong).
FIND_ACTIVE = """
() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      if (["href", "src", "action", "formaction", "data", "srcdoc"].includes(attr.name)
          && /^\\s*(javascript|vbscript|data):/i.test(attr.value)) {
        found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 40)}`);
      }
    }
  }
  for (const script of document.scripts) {
    if (!script.src || new URL(script.src).pathname.indexOf("/static/") !== 0) found.push("script");
  }
  const holders = ".comment-author, .comment-text, .row-author, .row-text, .suggestion-text, "
    + ".official-reply, .done-text, td";
  for (const holder of document.querySelectorAll(holders)) {
    for (const child of holder.querySelectorAll("*")) {
      const allowed = ["A", "BR", "P", "DIV"].includes(child.tagName)
        && (child.tagName !== "DIV" || child.classList.contains("comment-text"))
        && (child.tagName !== "P" || child.classList.contains("official-label"));
      if (!allowed) found.push(`injected <${child.tagName.toLowerCase()}> in ${holder.className}`);
    }
  }
  for (const tag of ["iframe", "object", "embed", "img", "svg", "math", "base", "marquee", "style"]) {
    if (document.getElementsByTagName(tag).length) found.push(`<${tag}> present`);
  }
  return found;
}
"""


def log_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_path}*")


class Watch:
    """Dialogs opened and Content-Security-Policy refusals seen by a page."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp.append(message.text[:200])
