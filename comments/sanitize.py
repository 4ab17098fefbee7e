"""Plain text for everything stored by the comments app."""

from outagedesk.lib.sanitize import clean_text


def plain_text(value: object, *, max_length: int, multiline: bool = True) -> str:
    """clean_text until nothing changes. clean_text decodes entities once, so "&lt;script&gt;"
    would be stored as "<script>"; a second pass strips that too, and stored comments never hold
    anything an HTML parser reads as markup (templates escape on output all the same)."""
    text = clean_text(value, max_length=max_length, multiline=multiline)
    for _ in range(5):
        if "<" not in text and "&" not in text:
            break  # no markup and no entity: another pass cannot change anything
        again = clean_text(text, max_length=max_length, multiline=multiline)
        if again == text:
            break
        text = again
    return text
