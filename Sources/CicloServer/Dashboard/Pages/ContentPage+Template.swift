extension ContentPage {
    static let template = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Content</h1><p class="sub">A content strategy for every stage and persona, and product recommendations.</p></div></div>
        <section class="card" id="coverage"><h2>Coverage: live items by persona and stage</h2>
        <p class="muted">{{gaps}} empty cells. An empty cell shows the formats that usually work at that stage.</p>
        <table class="matrix"><thead><tr><th>Persona</th>{{#stages}}<th class="num">{{.}}</th>{{/stages}}</tr></thead><tbody>
        {{#rows}}<tr><td>{{persona}}</td>{{#cells}}<td class="num{{#gap}} gap{{/gap}}" title="{{hint}}">{{items}}{{#gap}}<div class="muted small">{{hint}}</div>{{/gap}}</td>{{/cells}}</tr>{{/rows}}
        </tbody></table></section>
        <section class="card" id="library"><h2>Library</h2><table><thead><tr><th>Key</th><th>Title</th><th>Format</th><th>Stages</th><th>Personas</th><th>Status</th><th>Window</th></tr></thead><tbody>
        {{#items}}<tr><td>{{key}}</td><td>{{title}}</td><td>{{format}}</td><td>{{stages}}</td><td>{{personas}}</td><td>{{status}}</td><td>{{window}}</td></tr>{{/items}}
        </tbody></table>{{#empty(items)}}<p class="muted">No content yet: add an item below, import a CSV (<code>ciclo import content FILE</code>) or use the API.</p>{{/empty(items)}}</section>
        <section class="card" id="performance"><h2>Performance, last 90 days</h2><table><thead><tr><th>Item</th><th>Stage</th><th>Persona</th><th class="num">Impressions</th><th class="num">Clicks</th><th class="num">Conversions</th><th class="num">Conversion rate</th></tr></thead><tbody>
        {{#performance}}<tr><td>{{key}}</td><td>{{stage}}</td><td>{{persona}}</td><td class="num">{{impressions}}</td><td class="num">{{clicks}}</td><td class="num">{{conversions}}</td><td class="num">{{rate}}</td></tr>{{/performance}}
        </tbody></table></section>
        {{#chrome.canEdit}}<section class="card" id="add"><h2>Add or replace an item</h2>
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        <form method="post" action="/content"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <textarea name="item" rows="6" class="code" aria-label="Content item JSON">{{draft}}</textarea>
        <div class="actions"><button type="submit">Save item</button></div></form></section>{{/chrome.canEdit}}
        <section class="card" id="recommendations"><h2>Product recommendations</h2>
        <p>Model trained: {{trained}}. {{modelSummary}}</p>
        {{#chrome.canEdit}}<form method="post" action="/content/recommendations/train" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="secondary">Retrain now</button></form>
        <form method="post" action="/content/recommendations/evaluate" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="secondary">Evaluate on our data</button></form>{{/chrome.canEdit}}
        {{#evaluated}}<h3>Offline evaluation: each person's latest 20% held out, lists of 10</h3>
        <table id="evaluation"><thead><tr><th>Strategy</th><th class="num">Precision@10</th><th class="num">Recall@10</th><th class="num">NDCG@10</th><th class="num">MAP@10</th><th class="num">Hit rate</th><th class="num">Coverage</th></tr></thead><tbody>
        {{#evaluation}}<tr><td>{{strategy}}</td><td class="num">{{precision}}</td><td class="num">{{recall}}</td><td class="num">{{ndcg}}</td><td class="num">{{map}}</td><td class="num">{{hitRate}}</td><td class="num">{{coverage}}</td></tr>{{/evaluation}}
        </tbody></table>{{/evaluated}}</section>
        {{/page}}{{/content}}{{/layout}}
        """
}
