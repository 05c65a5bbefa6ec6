r"""Vega-Lite charts inside HTML with no internet: script-safe JSON and an inline renderer.

The report's ``index.html`` and notebook outputs carry the Vega, Vega-Lite and
vega-embed JavaScript that ships with vl-convert, so a chart draws offline,
in JupyterLab and in a notebook exported to HTML
(``jupyter nbconvert --execute --to html``) alike.

Examples
--------
>>> print(script_json({"evidence": "</script><!--"}))
{"evidence": "\u003c/script\u003e\u003c!--"}
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from typing import Any

import altair as alt
import vl_convert as vlc

#: The name of the renderer in Altair's registry (and its entry point).
RENDERER = "ipbench"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    r"""Write JSON that is safe inside a ``<script>`` element.

    No text in ``value`` can end the script or open an HTML comment: ``<``,
    ``>``, ``&`` and the line separators U+2028/U+2029 are written as JSON
    escapes, which parse back to the same characters. Keys are sorted, so the
    same value gives the same text.

    Parameters
    ----------
    value : object
        Anything :func:`json.dumps` takes; NaN is refused (JSON has none).

    Returns
    -------
    str
        The JSON text.

    Examples
    --------
    >>> print(script_json({"evidence": "<!--<script>"}))
    {"evidence": "\u003c!--\u003cscript\u003e"}
    >>> json.loads(script_json({"evidence": "<!--<script>"}))["evidence"]
    '<!--<script>'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda match: _JSON_ESCAPES[match[0]], text)


@functools.cache
def vega_javascript() -> str:
    """Return the Vega, Vega-Lite and vega-embed JavaScript that ships with vl-convert."""
    bundle: str = vlc.javascript_bundle()  # type: ignore[call-arg]
    return bundle


#: One chart: loads the JavaScript unless the page has it, then draws; counts charts drawn
#: and errors on <body> (``data-ipbench-rendered``, ``data-ipbench-errors``) for tests.
_CHART_HTML = """<div class="ipbench-chart" id="{div}"></div>
<script type="text/javascript">
(function () {{
  var body = document.body;
  function failed(message) {{
    body.dataset.ipbenchErrors = (body.dataset.ipbenchErrors || "") + message + " | ";
  }}
  if (!window.ipbenchListening) {{
    window.ipbenchListening = true;
    window.addEventListener("error", function (e) {{ failed(String(e.message)); }});
  }}
  if (typeof window.vegaEmbed === "undefined") {{
    (function () {{
{javascript}
    }}).call(window);
  }}
  var div = document.currentScript ? document.currentScript.previousElementSibling : null;
  if (!div || div.id !== "{div}") {{
    div = document.getElementById("{div}");
  }}
  window.vegaEmbed(div, {spec}, {{renderer: "svg", actions: false}})
    .then(function () {{
      body.dataset.ipbenchRendered = String(Number(body.dataset.ipbenchRendered || 0) + 1);
    }})
    .catch(function (e) {{
      failed("{div}: " + String(e));
      div.textContent = "chart error: " + String(e);
    }});
}})();
</script>"""


def inline_renderer(spec: dict[str, Any], **metadata: Any) -> dict[str, str]:
    """Render a Vega-Lite spec as HTML that draws offline (an Altair renderer).

    Every output carries the JavaScript it needs (about 0.9 MB, run only when
    the page lacks it), so it draws wherever its HTML is shown: JupyterLab,
    an exported notebook, a page with no internet.

    Parameters
    ----------
    spec : dict
        The Vega-Lite specification.
    **metadata
        Altair's renderer options; ignored.

    Returns
    -------
    dict
        The MIME bundle: ``text/html`` and a ``text/plain`` fallback.

    Examples
    --------
    >>> bundle = inline_renderer({"mark": "point", "data": {"values": [{"x": "</script>"}]}})
    >>> sorted(bundle), bundle["text/html"].count("</script>")
    (['text/html', 'text/plain'], 1)
    """
    html = _CHART_HTML.format(
        # unique across kernel restarts: outputs of an earlier run stay on the page
        div=f"ipbench-chart-{uuid.uuid4().hex}",
        javascript=vega_javascript(),
        spec=script_json(spec),
    )
    return {"text/html": html, "text/plain": "<ipbench chart: shown in HTML outputs>"}


def enable_offline_rendering() -> Any:
    """Draw Altair charts with no internet, in JupyterLab and in exported notebooks.

    Enables the ``"ipbench"`` renderer (:func:`inline_renderer`): every chart
    output carries the Vega JavaScript from vl-convert, so nothing is fetched
    from a CDN and no widget extension is needed. ``ipbench.charts`` enables
    it on import unless another renderer was chosen.

    Returns
    -------
    object
        What ``altair.renderers.enable`` returns.

    Examples
    --------
    >>> import altair as alt
    >>> before = alt.renderers.active
    >>> _ = enable_offline_rendering()
    >>> alt.renderers.active
    'ipbench'
    >>> _ = alt.renderers.enable(before)
    """
    return alt.renderers.enable(RENDERER)


def offline_by_default() -> None:
    """Enable :func:`inline_renderer` unless a renderer other than Altair's default was chosen."""
    if alt.renderers.active == "default":
        enable_offline_rendering()


alt.renderers.register(RENDERER, inline_renderer)
