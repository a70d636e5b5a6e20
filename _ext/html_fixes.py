"""Small fixes to the HTML pages Sphinx 7.4 writes with this book's theme.

Sphinx 7.4 registers sphinx-thebe's inline script twice, so every page logged
"Identifier 'THEBE_JS_URL' has already been declared" in the browser: keep each script once.
"""


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    # An inline script is registered with filename None by some extensions and "" by others.
    return str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items()))


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # in place: the builder and the template share this list


def setup(app):
    # Last, after the extensions that add scripts while a page is written.
    app.connect("html-page-context", dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
