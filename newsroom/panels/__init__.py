"""The workspace's panels, one module per panel.

Each module names its template (`TEMPLATE`, under templates/newsroom/panels/) and has ONE
function that builds the panel's context (`<panel>_panel`). The full page
(`newsroom.views.common.workspace_context`) and the panel's fragment views call that same
function, so a fragment can never show something the page would not.
"""
