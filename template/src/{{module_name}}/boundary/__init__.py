"""The one boundary for untrusted text: HTTP bodies, query and path values, WebSocket frames.

Everything a client sends is checked here before a handler sees it: no NUL characters or
lone surrogates (neither can be stored), no numbers JSON cannot carry or a column cannot
hold, no string over the length limit, no nesting over the depth limit. A refusal is an
``InputRefusedError``; HTTP answers it with 422, WebSocket with an error frame.
"""
