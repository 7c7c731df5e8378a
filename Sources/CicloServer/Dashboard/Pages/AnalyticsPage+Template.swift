extension AnalyticsPage {
    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Analytics</h1><p class="sub">The last {{days}} days: messages, experiments, funnel, retention and what earned the revenue.</p></div>
        <form method="get" action="/analytics" class="actions"><label for="days" class="muted">Period</label>
        <select id="days" name="days" data-autosubmit>{{#periods}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/periods}}</select>
        <button type="submit" class="secondary small">Show</button></form></div>
        <section class="card" id="kpis"><h2>Messages by journey</h2>{{#rollupNote}}<p class="muted" id="rollup-note">{{rollupNote}}</p>{{/rollupNote}}{{#empty(kpis)}}<p class="muted">No messages in this period.</p>{{/empty(kpis)}}
        {{^empty(kpis)}}<table><thead><tr><th>Journey</th><th class="num">Sent</th><th class="num">Delivered</th><th class="num">Open rate</th><th class="num">Click rate</th>
        <th class="num">Click to open</th><th class="num">Unsubscribed</th><th>Sends per day</th></tr></thead><tbody>
        {{#kpis}}<tr><td>{{key}}</td><td class="num">{{sends}}</td><td class="num">{{deliveries}}</td><td class="num">{{openRate}}</td><td class="num">{{clickRate}}</td>
        <td class="num">{{ctor}}</td><td class="num">{{unsub}}</td><td>{{{trend}}}</td></tr>{{/kpis}}</tbody></table>{{/empty(kpis)}}</section>
        <section class="card" id="experiments"><h2>Experiments and lift</h2>{{#empty(experiments)}}<p class="muted">No journey has split arms or a control group with people in it yet.</p>{{/empty(experiments)}}
        {{#experiments}}<h3><a href="/journeys/{{journey}}">{{name}}</a></h3>{{#srm}}<p class="error-box">{{srm}}</p>{{/srm}}
        <ul>{{#verdicts}}<li class="verdict">{{.}}</li>{{/verdicts}}</ul>{{{chart}}}{{#lift}}<p>{{lift}}</p>{{/lift}}{{/experiments}}</section>
        <section class="card" id="funnel"><h2>Funnel</h2>
        <form method="get" action="/analytics" class="actions"><input type="hidden" name="days" value="{{days}}">
        <label for="steps">Steps</label><input type="text" id="steps" name="steps" value="{{funnelSteps}}" size="50">
        <label for="order">done</label><select id="order" name="order">{{#funnelOrder}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/funnelOrder}}</select>
        <label for="window">within</label><input type="number" id="window" name="window" value="{{funnelWindow}}" min="1" max="90"> days
        <button type="submit" class="secondary">Count</button></form>
        {{#funnelError}}<p class="error">{{funnelError}}</p>{{/funnelError}}
        {{#funnelChart}}{{{funnelChart}}}{{/funnelChart}}
        <table><thead><tr><th>Step</th><th class="num">People</th><th class="num">From previous</th><th class="num">Still in their window</th><th class="num">Dropped off</th><th class="num">Median time from step 1</th></tr></thead><tbody>
        {{#funnelRows}}<tr><td>{{name}}</td><td class="num">{{people}}</td><td class="num">{{fromPrevious}}</td><td class="num">{{inProgress}}</td><td class="num">{{dropped}}</td><td class="num">{{median}}</td></tr>{{/funnelRows}}</tbody></table></section>
        <section class="card" id="retention"><h2>Retention</h2>
        <form method="get" action="/analytics" class="actions"><input type="hidden" name="days" value="{{days}}">
        <label for="interval">By</label><select id="interval" name="interval">{{#retentionInterval}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/retentionInterval}}</select>
        <label for="cohort">cohort on their</label><select id="cohort" name="cohort">{{#retentionCohort}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/retentionCohort}}</select>
        <label for="retention-start">start event</label><input type="text" id="retention-start" name="start" value="{{retentionStart}}" placeholder="any activity" list="event-names">
        <label for="retention-return">return event</label><input type="text" id="retention-return" name="return" value="{{retentionReturn}}" placeholder="any activity" list="event-names">
        <datalist id="event-names">{{#eventSuggestions}}<option value="{{.}}">{{/eventSuggestions}}</datalist>
        <button type="submit" class="secondary">Show</button></form><p class="muted" id="retention-note">{{retentionNote}}</p>
        <div class="graph-wrap"><table class="heat"><thead><tr><th>Cohort</th><th class="num">People</th>{{#heatHeader}}<th class="num">{{.}}</th>{{/heatHeader}}</tr></thead><tbody>
        {{#heat}}<tr><th scope="row">{{start}}</th><td class="num">{{size}}</td>{{#cells}}<td class="heat h{{level}}{{#incomplete}} incomplete{{/incomplete}}">{{text}}</td>{{/cells}}</tr>{{/heat}}
        </tbody></table></div><p class="muted">Dashed cells are periods not over yet.</p></section>
        <section class="card" id="attribution"><h2>Revenue attribution</h2>
        <form method="get" action="/analytics" class="actions"><input type="hidden" name="days" value="{{days}}"><label for="model">Model</label>
        <select id="model" name="model" data-autosubmit>{{#attributionModels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/attributionModels}}</select>
        <button type="submit" class="secondary small">Show</button></form>
        <table><thead><tr><th>Journey</th><th class="num">Revenue</th><th class="num">Orders</th><th class="num">Share</th></tr></thead><tbody>
        {{#credits}}<tr><td>{{key}}</td><td class="num">{{revenue}}</td><td class="num">{{orders}}</td><td class="num">{{share}}</td></tr>{{/credits}}
        <tr><td class="muted">No message in its window</td><td class="num">{{unattributed}}</td><td></td><td></td></tr>
        <tr><th>Total</th><th class="num">{{totalRevenue}}</th><td></td><td></td></tr></tbody></table>
        <h3>Attribution windows</h3><p class="muted">An order counts for a message when it comes within the window after an interaction
        with it. Blank: that interaction earns no credit. The same windows serve the API and <code>ciclo report attribution</code>.</p>
        {{#windowError}}<p class="error" id="window-error">{{windowError}}</p>{{/windowError}}
        <form method="post" action="/analytics/attribution-windows" class="actions" id="attribution-windows"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        {{#windows}}<label for="window-{{kind}}">{{label}}</label><input type="text" id="window-{{kind}}" name="window.{{kind}}" value="{{value}}" size="9" placeholder="off">{{/windows}}
        {{#chrome.canEdit}}<button type="submit" class="secondary">Save windows</button>{{/chrome.canEdit}}</form></section>
        {{/page}}{{/content}}{{/layout}}
        """
}
