/// The dashboard's one stylesheet, served by the binary: no build step, no external fonts.
enum DashboardStyle {
    static let css = """
        :root { --ink: #172033; --muted: #5b6478; --line: #dde1ea; --bg: #f4f6fa; --card: #fff; --accent: #0f6e66;
          --accent-ink: #fff; --accent-soft: #e3f3f1; --warn: #9a3412; --warn-soft: #fff1e6; --ok: #166534; --ok-soft: #e8f6ec;
          --side: #121a2b; --side-ink: #c9d1e3; font-size: 15px; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          color: var(--ink); background: var(--bg); line-height: 1.45; }
        a { color: var(--accent); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible {
          outline: 3px solid #f59e0b; outline-offset: 2px; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
        .skip:focus { left: 1rem; }
        .shell { display: grid; grid-template-columns: 210px 1fr; min-height: 100vh; }
        .side { background: var(--side); color: var(--side-ink); padding: 1.2rem .8rem; }
        .side .brand { display: block; color: #fff; font-weight: 700; font-size: 1.3rem; text-decoration: none; padding: 0 .6rem 1.2rem; }
        .side .mark { color: #5eead4; }
        .side ul { list-style: none; margin: 0; padding: 0; }
        .side a { display: block; color: var(--side-ink); text-decoration: none; padding: .5rem .7rem; border-radius: 6px; margin-bottom: 2px; }
        .side a:hover { background: #1e2a42; color: #fff; }
        .side a[aria-current="page"] { background: var(--accent); color: #fff; font-weight: 600; }
        .column { min-width: 0; }
        .top { display: flex; gap: 1rem; align-items: center; justify-content: flex-end; padding: .6rem 1.6rem; background: #fff;
          border-bottom: 1px solid var(--line); }
        .top .who { color: var(--muted); }
        .top .workspace { margin-right: auto; color: var(--muted); }
        .switcher { margin-right: auto; display: flex; gap: .5rem; align-items: center; }
        main { padding: 1.4rem 1.6rem 3rem; max-width: 1280px; }
        main:focus { outline: none; }
        h1 { font-size: 1.55rem; margin: 0 0 .3rem; }
        h2 { font-size: 1.15rem; margin: 0 0 .8rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
        .sub { color: var(--muted); margin: 0 0 1.2rem; }
        .page-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; margin: .4rem 0; }
        .actions label { display: inline; font-weight: 600; margin: 0; }
        .actions input[type=text], .actions input[type=email], .actions input[type=number] { width: auto; min-width: 5rem; }
        .actions input[type=text], .actions input[type=email] { min-width: 14rem; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 1.1rem 1.2rem; margin-bottom: 1.2rem; }
        .card.narrow { max-width: 460px; margin: 8vh auto; }
        .grid { display: grid; gap: 1.2rem; }
        .grid.two { grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); }
        .grid.kpis { grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: .9rem; margin-bottom: 1.2rem; }
        .kpi { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: .8rem 1rem; }
        .kpi .label { color: var(--muted); font-size: .85rem; }
        .kpi .value { font-size: 1.55rem; font-weight: 650; margin: .15rem 0; font-variant-numeric: tabular-nums; }
        .kpi .value.small { font-size: 1.1rem; }
        .kpi .delta { font-size: .85rem; color: var(--muted); }
        .delta.up { color: var(--ok); } .delta.down { color: var(--warn); }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
        td.num, th.num { text-align: right; }
        tr:hover td { background: #fafbfd; }
        .badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; background: #eef1f6; color: var(--ink); font-size: .8rem; }
        .badge.active, .badge.sent, .badge.delivered, .badge.subscribed { background: var(--ok-soft); color: var(--ok); }
        .badge.paused, .badge.queued, .badge.held, .badge.unknown { background: #fef9c3; color: #854d0e; }
        .badge.failed, .badge.suppressed, .badge.unsubscribed, .badge.archived { background: var(--warn-soft); color: var(--warn); }
        .notice { background: var(--ok-soft); color: var(--ok); border: 1px solid #bfe5cb; padding: .6rem .9rem; border-radius: 8px; }
        .notice.warning { background: var(--warn-soft); color: var(--warn); border-color: #fed7aa; }
        .error-box { background: var(--warn-soft); color: var(--warn); border: 1px solid #fed7aa; padding: .6rem .9rem; border-radius: 8px; }
        .field { margin-bottom: .9rem; }
        .field label, .label-text { display: block; font-weight: 600; margin-bottom: .25rem; }
        .field .hint { color: var(--muted); font-size: .85rem; margin-top: .2rem; }
        .field .error { color: var(--warn); font-size: .9rem; margin-top: .25rem; font-weight: 600; }
        input[type=text], input[type=email], input[type=password], input[type=number], input[type=search], select, textarea {
          font: inherit; padding: .45rem .6rem; border: 1px solid #b9c0ce; border-radius: 6px; background: #fff; color: var(--ink); max-width: 100%; }
        input[type=text], input[type=email], input[type=password], input[type=search], textarea { width: 100%; }
        textarea { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .88rem; min-height: 14rem; }
        textarea.short { min-height: 5rem; font-family: inherit; font-size: inherit; }
        [aria-invalid="true"] { border-color: var(--warn); }
        button, .button { font: inherit; background: var(--accent); color: var(--accent-ink); border: 1px solid var(--accent); border-radius: 6px;
          padding: .45rem .95rem; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secondary, .button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--warn); border-color: #f3b58d; }
        button.small, .button.small { padding: .2rem .6rem; font-size: .85rem; }
        button.link { background: none; border: none; color: var(--accent); padding: 0; text-decoration: underline; }
        form.inline { display: inline; }
        .search { display: flex; gap: .5rem; margin-bottom: 1rem; max-width: 640px; }
        .muted { color: var(--muted); }
        .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, monospace; font-size: .88rem; word-break: break-all; }
        pre { background: #0f172a; color: #e2e8f0; padding: .9rem 1rem; border-radius: 8px; overflow: auto; font-size: .85rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
        .chart { width: 100%; height: auto; display: block; }
        .chart text { font-family: inherit; font-size: 12px; fill: var(--muted); }
        .chart .value-label { fill: var(--ink); font-weight: 600; }
        .chart .bar-label { fill: var(--ink); }
        .chart text.on-dark { fill: #fff; font-weight: 600; } .chart text.on-light { fill: var(--ink); font-weight: 600; }
        .legend { display: flex; gap: 1rem; font-size: .85rem; color: var(--muted); margin-top: .4rem; }
        .legend .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -1px; margin-right: .3rem; }
        .swatch.current { background: #0f6e66; } .swatch.previous { background: #a5b4cf; }
        .timeline { list-style: none; padding: 0; margin: 0; }
        .timeline li { padding: .5rem 0; border-bottom: 1px solid var(--line); display: grid; grid-template-columns: 11rem 1fr; gap: .8rem; }
        .timeline .when { color: var(--muted); font-size: .85rem; }
        .timeline .props { color: var(--muted); font-size: .85rem; word-break: break-word; }
        .pager { display: flex; gap: 1rem; margin-top: .8rem; }
        .tabs { display: flex; gap: .3rem; border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
        .tabs a { padding: .45rem .8rem; text-decoration: none; color: var(--muted); border-bottom: 2px solid transparent; }
        .tabs a[aria-current="page"] { color: var(--ink); border-color: var(--accent); font-weight: 600; }
        .preview-count { font-size: 1.6rem; font-weight: 650; }
        .rules-row { display: grid; gap: .5rem; align-items: end; margin-bottom: .6rem;
          grid-template-columns: minmax(8rem, 1.1fr) minmax(8rem, 1.5fr) minmax(8rem, 1.1fr) minmax(5rem, .8fr) minmax(4rem, .6fr); }
        .rules-row label { font-size: .85rem; font-weight: 600; display: block; margin-bottom: .15rem; }
        .rules-row input, .rules-row select { width: 100%; }
        .grid.editor { grid-template-columns: minmax(0, 2fr) minmax(260px, 1fr); align-items: start; }
        fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin: 0 0 1rem; }
        legend { font-weight: 600; padding: 0 .3rem; }
        .step-errors li { margin-bottom: .3rem; }
        .graph-wrap { overflow-x: auto; text-align: center; }
        svg.graph { width: auto; max-width: 100%; height: auto; display: inline-block; }
        .graph .node rect { fill: #fff; stroke: #8f9bb3; stroke-width: 1.2; }
        .graph .node.message rect { fill: #ecfdf5; stroke: #0f6e66; }
        .graph .node.wait rect { fill: #f8fafc; stroke: #94a3b8; }
        .graph .node.branch rect, .graph .node.split rect { fill: #fff7ed; stroke: #c2410c; }
        .graph .node.exit rect { fill: #f1f5f9; stroke: #64748b; }
        .graph .node.invalid rect { stroke: #dc2626; stroke-width: 2.5; }
        .graph .node text { fill: var(--ink); font-size: 12px; }
        .graph .node text.kind { fill: var(--muted); font-size: 11px; }
        .graph .node text.count { font-weight: 600; }
        .graph .edge { fill: none; stroke: #94a3b8; stroke-width: 1.4; }
        .graph .edge-label { font-size: 11px; fill: var(--muted); }
        .snippet { position: relative; }
        .heat td.heat { text-align: center; font-variant-numeric: tabular-nums; }
        .heat .h0 { background: #f8fafc; } .heat .h1 { background: #e6f4f1; } .heat .h2 { background: #cce9e3; } .heat .h3 { background: #a6d8cd; }
        .heat .h4 { background: #7fc6b7; } .heat .h5 { background: #57b2a0; color: #fff; } .heat .h6 { background: #2f9c88; color: #fff; }
        .heat .h7 { background: #15806e; color: #fff; } .heat .h8 { background: #0f6e66; color: #fff; } .heat .h9 { background: #0b524c; color: #fff; }
        .heat .incomplete { outline: 1px dashed #94a3b8; outline-offset: -3px; }
        svg.spark { vertical-align: middle; }
        .verdict { font-weight: 600; }
        .email-preview { width: 100%; height: 520px; border: 1px solid var(--line); border-radius: 8px; background: #fff; }
        body.bare { background: var(--bg); }
        @media (max-width: 800px) { .shell { grid-template-columns: 1fr; } .side ul { display: flex; flex-wrap: wrap; } .grid.two, .grid.editor { grid-template-columns: 1fr; } .rules-row { grid-template-columns: 1fr 1fr; } }
        @media print { .side, .top, form, button { display: none !important; } .shell { display: block; } }
        """
}
