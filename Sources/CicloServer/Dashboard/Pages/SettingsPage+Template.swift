extension SettingsPage {
    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Settings</h1><p class="sub">Workspace {{chrome.workspaceName}}.</p></div></div>
        {{#newToken}}<div class="notice" role="status"><strong>New admin token</strong> — copy it now; it is not shown again:<pre id="new-token">{{newToken}}</pre></div>{{/newToken}}
        {{#newPassword}}<div class="notice" role="status"><strong>{{newPasswordFor}}</strong> can sign in with this one-time password; send it privately:<pre id="new-password">{{newPassword}}</pre></div>{{/newPassword}}
        <section class="card" id="sources"><h2>Sources and write keys</h2>
        <table><thead><tr><th>Source</th><th>Write key</th><th>Status</th><th></th></tr></thead><tbody>
        {{#sources}}<tr><td>{{name}}</td><td class="mono">{{writeKey}}</td><td>{{#enabled}}<span class="badge active">enabled</span>{{/enabled}}{{^enabled}}<span class="badge paused">disabled</span>{{/enabled}}</td>
        <td>{{#chrome.isAdmin}}<form method="post" action="/settings/sources/{{name}}/toggle" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="secondary small">{{#enabled}}Disable{{/enabled}}{{^enabled}}Enable{{/enabled}}</button></form>{{/chrome.isAdmin}}</td></tr>{{/sources}}
        </tbody></table>
        {{#chrome.isAdmin}}<form method="post" action="/settings/sources" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="source-name">New source</label><input type="text" id="source-name" name="name" placeholder="web, ios, backend" required{{#sourceError}} aria-invalid="true" aria-describedby="source-error"{{/sourceError}}>
        <button type="submit" class="secondary">Add source</button></form>{{#sourceError}}<p class="error" id="source-error">{{sourceError}}</p>{{/sourceError}}{{/chrome.isAdmin}}
        <h3>Send events with a Segment SDK</h3>
        <p class="muted">Ciclo speaks the Segment tracking API, so the official libraries work unchanged; point them at Ciclo.</p>
        <pre id="snippet">// Browser (@segment/analytics-next)
        import { AnalyticsBrowser } from "@segment/analytics-next"
        export const analytics = AnalyticsBrowser.load(
          { writeKey: "{{snippetKey}}", cdnURL: "{{publicURL}}" },
          { integrations: { "Segment.io": { apiHost: "{{publicHost}}/v1", protocol: "{{publicScheme}}" } } })
        analytics.identify("user-42", { email: "ada@example.com", first_name: "Ada" })
        analytics.track("Order Completed", { order_id: "1001", revenue: 59.90, currency: "USD" })

        # Python (segment-analytics-python)
        import segment.analytics as analytics
        analytics.write_key = "{{snippetKey}}"
        analytics.host = "{{publicURL}}"

        // Node (@segment/analytics-node)
        const analytics = new Analytics({ writeKey: "{{snippetKey}}", host: "{{publicURL}}" })</pre>
        </section>
        {{#chrome.isAdmin}}<section class="card" id="tokens"><h2>Admin API tokens</h2>
        <table><thead><tr><th>Name</th><th>Created</th><th>Status</th><th></th></tr></thead><tbody>
        {{#tokens}}<tr><td>{{name}}</td><td>{{created}}</td><td>{{#revoked}}<span class="badge failed">revoked {{revoked}}</span>{{/revoked}}{{^revoked}}<span class="badge active">active</span>{{/revoked}}</td>
        <td>{{^revoked}}<form method="post" action="/settings/tokens/{{id}}/revoke" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="danger small" data-confirm="Revoke this token? Anything using it stops working.">Revoke</button></form>{{/revoked}}</td></tr>{{/tokens}}
        </tbody></table>
        <form method="post" action="/settings/tokens" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="token-name">New token named</label><input type="text" id="token-name" name="name" placeholder="crm-sync" required>
        <button type="submit" class="secondary">Create token</button></form></section>{{/chrome.isAdmin}}
        <section class="card" id="channels"><h2>Channels</h2><p class="muted">Set in the server's environment and read at start.</p>
        <table><tbody>{{#channels}}<tr><th scope="row">{{name}}</th><td><span class="badge {{#status}}{{status}}{{/status}}">{{status}}</span></td><td class="mono">{{detail}}</td></tr>{{/channels}}</tbody></table></section>
        <section class="card" id="problems"><h2>Turned away and set aside</h2>
        <p class="muted">Messages refused at ingest (with the reason) and items a background step set aside because they failed on their own. {{problemSummary}}</p>
        {{#hasProblems}}<table><thead><tr><th scope="col">When</th><th scope="col">Where</th><th scope="col">What</th><th scope="col">Why</th></tr></thead>
        <tbody>{{#problems}}<tr><td>{{when}}</td><td>{{stage}}</td><td class="mono">{{item}}</td><td>{{reason}}</td></tr>{{/problems}}</tbody></table>{{/hasProblems}}
        {{^hasProblems}}<p>Nothing refused or set aside.</p>{{/hasProblems}}</section>
        <section class="card" id="rules"><h2>Sending rules</h2>
        <p class="muted">Apply to every marketing message from every journey; transactional messages are exempt.</p>
        {{#rulesError}}<p class="error-box" role="alert" id="rules-error">{{rulesError}}</p>{{/rulesError}}
        <form method="post" action="/settings/rules"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <fieldset><legend>Frequency caps</legend><p class="hint">Leave the limit empty for no cap.</p>
        {{#caps}}<div class="actions field"><label for="cap-{{channel}}">{{channel}}: at most</label>
        <input type="number" id="cap-{{channel}}" name="cap-{{channel}}" value="{{limit}}" min="0" size="4">
        <label for="cap-{{channel}}-days">messages per</label><input type="number" id="cap-{{channel}}-days" name="cap-{{channel}}-days" value="{{days}}" min="1" step="any" size="4"> days</div>{{/caps}}
        </fieldset>
        <fieldset><legend>Quiet hours (each person's own time zone)</legend>
        <div class="actions"><label for="quiet-start">From</label><input type="text" id="quiet-start" name="quiet-start" value="{{quietStart}}" size="5" pattern="[0-2][0-9]:[0-5][0-9]">
        <label for="quiet-end">to</label><input type="text" id="quiet-end" name="quiet-end" value="{{quietEnd}}" size="5" pattern="[0-2][0-9]:[0-5][0-9]">
        <label for="quiet">then</label><select id="quiet" name="quiet"><option value="hold"{{#quietHold}}{{^quietOff}} selected{{/quietOff}}{{/quietHold}}>hold messages until it ends</option>
        <option value="skip"{{^quietHold}}{{^quietOff}} selected{{/quietOff}}{{/quietHold}}>skip them</option><option value="off"{{#quietOff}} selected{{/quietOff}}>no quiet hours</option></select></div>
        </fieldset>
        <div class="field"><label for="control">Global control group (% of people who get no marketing messages)</label>
        <input type="number" id="control" name="control" value="{{controlPercent}}" min="0" max="50" step="any"></div>
        <div class="field"><label for="timezone">Time zone for people whose own is unknown</label><input type="text" id="timezone" name="timezone" value="{{defaultTimeZone}}"></div>
        {{#chrome.canEdit}}<button type="submit">Save sending rules</button>{{/chrome.canEdit}}
        </form></section>
        {{#chrome.isAdmin}}<section class="card" id="users"><h2>Users</h2>
        {{#memberError}}<p class="error-box" role="alert">{{memberError}}</p>{{/memberError}}
        <table><thead><tr><th>Email</th><th>Role</th><th>Last sign-in</th><th></th></tr></thead><tbody>
        {{#members}}<tr><td>{{email}}{{#isMe}} <span class="badge">you</span>{{/isMe}}</td><td>
        <form method="post" action="/settings/members/{{userId}}" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="role-{{userId}}" class="visually-hidden">Role of {{email}}</label>
        <select id="role-{{userId}}" name="role">{{#roles}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/roles}}</select>
        <button type="submit" name="intent" value="role" class="secondary small">Change</button>
        <button type="submit" name="intent" value="remove" class="danger small" data-confirm="Remove {{email}} from this workspace?">Remove</button></form></td><td>{{lastSignIn}}</td><td></td></tr>{{/members}}
        </tbody></table>
        <form method="post" action="/settings/members" class="actions"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="member-email">Add</label><input type="email" id="member-email" name="email" placeholder="colleague@example.com" required>
        <label for="member-role">as</label><select id="member-role" name="role"><option value="viewer">viewer</option><option value="marketer">marketer</option><option value="admin">admin</option></select>
        <button type="submit" class="secondary">Add user</button></form></section>{{/chrome.isAdmin}}
        {{/page}}{{/content}}{{/layout}}
        """
}
