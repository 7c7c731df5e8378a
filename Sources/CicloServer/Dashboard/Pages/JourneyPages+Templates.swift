extension JourneyPages {
    static let listTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Journeys</h1><p class="sub">Each message is sent once; caps, quiet hours and the control group apply to every journey.</p></div>
        {{#chrome.canEdit}}<div class="actions"><a class="button" href="/journeys/new">New journey</a></div>{{/chrome.canEdit}}</div>
        <section class="card">{{#empty(journeys)}}<p class="muted">No journeys yet. Start from one of the ready-made journeys below.</p>{{/empty(journeys)}}
        <table id="journeys"><thead><tr><th>Journey</th><th>Status</th><th>Trigger</th><th class="num">Entered</th><th class="num">Active</th>
        <th class="num">Converted</th><th class="num">Rate</th><th class="num">Revenue</th></tr></thead><tbody>
        {{#journeys}}<tr><td><a href="/journeys/{{key}}">{{name}}</a><div class="mono muted">{{key}} · v{{version}}</div></td><td><span class="badge {{status}}">{{status}}</span></td>
        <td>{{trigger}}</td><td class="num">{{entered}}</td><td class="num">{{active}}</td><td class="num">{{converted}}</td><td class="num">{{rate}}</td><td class="num">{{revenue}}</td></tr>{{/journeys}}
        </tbody></table></section>
        {{#chrome.canEdit}}<section class="card"><h2>Ready-made journeys</h2><p class="muted">Installed as drafts; review and activate them when ready.</p>
        <table><tbody>{{#templates}}<tr><td>{{name}}</td><td class="mono muted">{{key}}</td><td>
        <form method="post" action="/journeys/install" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><input type="hidden" name="template" value="{{key}}">
        <button type="submit" class="secondary small">Install {{name}}</button></form></td></tr>{{/templates}}</tbody></table></section>{{/chrome.canEdit}}
        {{/page}}{{/content}}{{/layout}}
        """

    static let detailTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>{{name}}</h1><p class="sub"><span class="badge {{status}}" id="journey-status">{{status}}</span> · version {{version}} · <span class="mono">{{key}}</span></p></div>
        <div class="actions">
        {{#chrome.canEdit}}
        <a class="button secondary" href="/journeys/{{key}}/edit">Edit</a>
        {{#canActivate}}<form method="post" action="/journeys/{{key}}/activate" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit">Activate</button></form>{{/canActivate}}
        {{#canPause}}<form method="post" action="/journeys/{{key}}/pause" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary" data-confirm="Pause this journey? People inside wait until it is active again.">Pause</button></form>{{/canPause}}
        {{/chrome.canEdit}}
        </div></div>
        {{#activationError}}<p class="error-box" role="alert" id="activation-error">{{activationError}}</p>
        {{#chrome.canEdit}}<form method="post" action="/journeys/{{key}}/activate" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <input type="hidden" name="force" value="true"><button type="submit" class="secondary">Activate anyway</button></form>{{/chrome.canEdit}}{{/activationError}}
        {{^activationError}}{{#hasChannelWarning}}<p class="notice warning" id="channel-warning">This journey sends on a channel the server is not set up for: {{channelWarning}}. Its messages there fail until the settings are made.</p>{{/hasChannelWarning}}{{/activationError}}
        <section class="grid kpis">{{#figures}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{value}}</div></div>{{/figures}}</section>
        <section class="card"><h2>Graph</h2><div class="graph-wrap" id="journey-graph">{{{graph}}}</div></section>
        <div class="grid two">
        <section class="card"><h2>Steps</h2><table><thead><tr><th>Step</th><th>What</th><th>Outcomes</th><th class="num">Waiting</th></tr></thead><tbody>
        {{#steps}}<tr><td class="mono">{{step}}</td><td>{{kind}}</td><td>{{outcomes}}</td><td class="num">{{waiting}}</td></tr>{{/steps}}</tbody></table></section>
        <section class="card"><h2>Arms and control group</h2>{{^hasArms}}<p class="muted">No one has entered yet.</p>{{/hasArms}}
        {{#hasArms}}<table><thead><tr><th>Arm</th><th class="num">Entered</th><th class="num">Converted</th><th class="num">Rate</th><th class="num">Revenue</th></tr></thead><tbody>
        {{#arms}}<tr><td>{{name}}</td><td class="num">{{enrolments}}</td><td class="num">{{converted}}</td><td class="num">{{rate}}</td><td class="num">{{revenue}}</td></tr>{{/arms}}</tbody></table>{{/hasArms}}</section>
        </div>
        <section class="card" id="dry-run"><h2>Dry run</h2>
        <p class="muted">Replays the past through this journey with the live rules and sends nothing.</p>
        <form method="post" action="/journeys/{{key}}/dry-run" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="days">Days of history</label><input type="number" id="days" name="days" value="30" min="1" max="365">
        <button type="submit" class="secondary">Run the dry run</button></form>
        {{#dryRun}}<h3>Over the last {{days}} days</h3>
        <section class="grid kpis">{{#figures}}<div class="kpi"><div class="label">{{label}}</div><div class="value">{{value}}</div></div>{{/figures}}</section>
        <p id="dry-run-baseline">{{baseline}}</p><p>Messages: {{messages}}</p>
        <table><thead><tr><th>Step</th><th>What</th><th>Outcomes</th></tr></thead><tbody>{{#steps}}<tr><td class="mono">{{step}}</td><td>{{kind}}</td><td>{{outcomes}}</td></tr>{{/steps}}</tbody></table>
        {{/dryRun}}
        </section>
        {{/page}}{{/content}}{{/layout}}
        """
}
