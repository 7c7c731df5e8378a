extension TemplatePages {
    static let listTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>Templates</h1><p class="sub">One template language for every channel: <code>&#123;&#123; traits.first_name | default: "there" &#125;&#125;</code>, conditions, loops and filters.</p></div>
        {{#chrome.canEdit}}<form method="get" action="/templates/new" class="actions"><label for="channel" class="muted">New template for</label>
        <select id="channel" name="channel">{{#channels}}<option value="{{.}}">{{.}}</option>{{/channels}}</select><button type="submit">New template</button></form>{{/chrome.canEdit}}</div>
        <section class="card"><table id="templates"><thead><tr><th>Template</th><th>Key</th><th>Channel</th><th>Topic</th></tr></thead><tbody>
        {{#templates}}<tr><td><a href="/templates/{{key}}">{{name}}</a></td><td class="mono">{{key}}</td><td>{{channel}}</td><td>{{topic}}</td></tr>{{/templates}}
        </tbody></table></section>
        {{/page}}{{/content}}{{/layout}}
        """

    static let editorTemplate = """
        {{<layout}}{{$content}}{{#page}}
        <div class="page-head"><div><h1>{{#isNew}}New {{channel}} template{{/isNew}}{{^isNew}}{{name}}{{/isNew}}</h1>
        <p class="sub">Channel: {{channel}}. Checked when saved: syntax, and variables used without a default.</p></div>
        {{^isNew}}{{#chrome.canEdit}}<div class="actions"><form method="post" action="/templates/{{key}}/delete" class="inline"><input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="danger" data-confirm="Delete this template? Journeys that use it will fail to send.">Delete</button></form></div>{{/chrome.canEdit}}{{/isNew}}</div>
        {{#error}}<p class="error-box" role="alert">{{error}}</p>{{/error}}
        <div class="grid two">
        <form method="post" action="{{action}}" class="card" id="template-form">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}"><input type="hidden" name="channel" value="{{channel}}">
        <div class="field"><label for="name">Name</label><input type="text" id="name" name="name" value="{{name}}" required></div>
        {{#isNew}}<div class="field"><label for="key">Key</label><input type="text" id="key" name="key" value="{{key}}" required{{#keyError}} aria-invalid="true" aria-describedby="key-error"{{/keyError}}>
        {{#keyError}}<p class="error" id="key-error">{{keyError}}</p>{{/keyError}}</div>{{/isNew}}
        <div class="field"><label for="topic">Subscription topic</label><input type="text" id="topic" name="topic" value="{{topic}}">
        <p class="hint">People can unsubscribe from a topic; <code>transactional</code> messages ignore marketing consent.</p></div>
        {{#parts}}<div class="field"><label for="part-{{name}}">{{label}}</label>
        {{#multiline}}<textarea id="part-{{name}}" name="part-{{name}}" spellcheck="false"{{#error}} aria-invalid="true" aria-describedby="part-{{name}}-error"{{/error}}>{{value}}</textarea>{{/multiline}}
        {{^multiline}}<input type="text" id="part-{{name}}" name="part-{{name}}" value="{{value}}"{{#error}} aria-invalid="true" aria-describedby="part-{{name}}-error"{{/error}}>{{/multiline}}
        {{#error}}<p class="error" id="part-{{name}}-error">{{error}}</p>{{/error}}</div>{{/parts}}
        <fieldset><legend>Preview</legend>
        <div class="field"><label for="person">For person (profile number, email or user id)</label><input type="text" id="person" name="person" value="{{previewFor}}"></div>
        {{#previewError}}<p class="error">{{previewError}}</p>{{/previewError}}
        <button type="submit" name="intent" value="preview" class="secondary">Preview</button></fieldset>
        {{#chrome.canEdit}}<button type="submit" name="intent" value="save">Save template</button>{{/chrome.canEdit}} <a href="/templates">Back</a>
        </form>
        <section class="card" aria-live="polite"><h2>Preview</h2>{{^hasPreview}}<p class="muted">Choose a person and press Preview; nothing is sent.</p>{{/hasPreview}}
        <dl class="facts" id="preview">{{#rendered}}<dt>{{name}}</dt><dd class="mono">{{value}}</dd>{{/rendered}}</dl>
        {{#renderedHTML}}<h3>HTML</h3><iframe title="Email preview" sandbox srcdoc="{{renderedHTML}}" class="email-preview"></iframe>{{/renderedHTML}}
        </section>
        </div>
        {{/page}}{{/content}}{{/layout}}
        """
}
