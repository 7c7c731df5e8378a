extension LoyaltyPage {
    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Loyalty</h1><p class="sub">Points, tiers and rewards; referrals, reviews and NPS.</p></div></div>
        {{^enabled}}<section class="card"><p class="muted">Loyalty is off in this workspace. Save a program below to switch it on.</p></section>{{/enabled}}
        {{#enabled}}
        <section class="grid kpis"><div class="kpi"><div class="label">Members</div><div class="value">{{members}}</div></div>
        <div class="kpi"><div class="label">Points outstanding</div><div class="value">{{outstanding}}</div></div>
        <div class="kpi"><div class="label">Points pending</div><div class="value">{{pending}}</div></div></section>
        <div class="grid two">
        <section class="card"><h2>Tiers</h2>{{{tierChart}}}</section>
        <section class="card"><h2>Rewards</h2><table id="rewards"><thead><tr><th>Reward</th><th>Kind</th><th class="num">Points</th></tr></thead><tbody>
        {{#rewards}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rewards}}</tbody></table>{{#empty(rewards)}}<p class="muted">No rewards in the program.</p>{{/empty(rewards)}}</section>
        </div>
        <section class="card"><h2>Members with the most points</h2><table id="members"><thead><tr><th>Member</th><th>Tier</th><th class="num">Balance</th><th class="num">Lifetime</th></tr></thead><tbody>
        {{#top}}<tr><td><a href="/loyalty/members/{{id}}">{{label}}</a></td><td>{{tier}}</td><td class="num">{{balance}}</td><td class="num">{{lifetime}}</td></tr>{{/top}}</tbody></table></section>
        <section class="card" id="referrals"><h2>Referrals</h2><table><thead><tr><th>#</th><th>Referrer</th><th>Referee</th><th>Status</th><th>Reason</th><th>When</th><th></th></tr></thead><tbody>
        {{#referrals}}<tr><td>{{id}}</td><td><a href="/people/{{referrer}}">#{{referrer}}</a></td><td><a href="/people/{{referee}}">#{{referee}}</a></td><td>{{status}}</td><td>{{reason}}</td><td>{{created}}</td>
        <td>{{#held}}{{#chrome.canEdit}}<form method="post" action="/loyalty/referrals/{{id}}/approve" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">Approve</button></form>
        <form method="post" action="/loyalty/referrals/{{id}}/reject" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}"><button type="submit" class="secondary">Reject</button></form>{{/chrome.canEdit}}{{/held}}</td></tr>{{/referrals}}
        </tbody></table>{{#empty(referrals)}}<p class="muted">No referrals yet.</p>{{/empty(referrals)}}</section>
        <div class="grid two">
        <section class="card" id="nps-month"><h2>NPS by month</h2><table><thead><tr><th>Month</th><th class="num">Answers</th><th class="num">NPS (95%)</th></tr></thead><tbody>
        {{#npsByMonth}}<tr><td>{{group}}</td><td class="num">{{responses}}</td><td class="num">{{nps}}</td></tr>{{/npsByMonth}}</tbody></table></section>
        <section class="card" id="nps-stage"><h2>NPS by lifecycle stage</h2><table><thead><tr><th>Stage</th><th class="num">Answers</th><th class="num">NPS (95%)</th></tr></thead><tbody>
        {{#npsByStage}}<tr><td>{{group}}</td><td class="num">{{responses}}</td><td class="num">{{nps}}</td></tr>{{/npsByStage}}</tbody></table></section>
        </div>
        {{/enabled}}
        <section class="card" id="program"><h2>Program</h2>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{#chrome.canEdit}}<form method="post" action="/loyalty/program"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <textarea name="program" rows="18" class="code" aria-label="Program JSON">{{programJSON}}</textarea>
        <div class="actions"><button type="submit">Save program</button></div></form>{{/chrome.canEdit}}
        {{^chrome.canEdit}}<pre class="code">{{programJSON}}</pre>{{/chrome.canEdit}}
        </section>
        {{/page}}{{/content}}{{/layout}}
        """

    static let memberTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Member #{{id}}</h1><p class="sub"><a href="/people/{{id}}">Profile</a> · <a href="/loyalty">Loyalty</a></p></div></div>
        <section class="grid kpis"><div class="kpi"><div class="label">Spendable</div><div class="value">{{balance}}</div></div>
        <div class="kpi"><div class="label">Pending</div><div class="value">{{pending}}</div></div>
        <div class="kpi"><div class="label">Tier</div><div class="value">{{tier}}</div></div>
        <div class="kpi"><div class="label">Qualifying points</div><div class="value">{{qualifying}}</div></div>
        <div class="kpi"><div class="label">Next tier</div><div class="value small">{{toNext}}</div></div>
        <div class="kpi"><div class="label">Expiring in 30 days</div><div class="value">{{expiring}}</div></div></section>
        <section class="card"><h2>Lots</h2><table id="lots"><thead><tr><th>Left</th><th>State</th><th>Spendable from</th><th>Expires</th></tr></thead><tbody>
        {{#lots}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/lots}}</tbody></table></section>
        <section class="card"><h2>Ledger</h2><table id="ledger"><thead><tr><th>When</th><th>Entry</th><th class="num">Points</th><th>Details</th></tr></thead><tbody>
        {{#history}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/history}}</tbody></table></section>
        {{/page}}{{/content}}{{/layout}}
        """
}
