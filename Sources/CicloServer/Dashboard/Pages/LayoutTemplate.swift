/// The dashboard's templates, by name.
enum DashboardTemplates {
    /// Every template the dashboard registers.
    static let all: [(String, String)] = [
        ("layout", layout), ("error", error), ("sign-in", SignInRoutes.template),
        ("overview", OverviewPage.template), ("lifecycle", LifecyclePage.template),
        ("people", PeoplePages.listTemplate), ("person", PeoplePages.profileTemplate),
        ("segments", SegmentPages.listTemplate), ("segment", SegmentPages.detailTemplate), ("segment-editor", SegmentEditor.template),
        ("journeys", JourneyPages.listTemplate), ("journey", JourneyPages.detailTemplate), ("journey-editor", JourneyEditor.template),
        ("templates", TemplatePages.listTemplate), ("template-editor", TemplatePages.editorTemplate),
        ("messages", MessagePages.template), ("settings", SettingsPage.template), ("predictions", PredictionsPage.template), ("loyalty", LoyaltyPage.template), ("content", ContentPage.template), ("loyaltyMember", LoyaltyPage.memberTemplate), ("analytics", AnalyticsPage.template),
    ]

    /// The frame of every signed-in page: skip link, navigation, workspace switcher, user, notice, content.
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Ciclo</title>
        <link rel="stylesheet" href="/assets/ciclo.css"><link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <script src="/assets/ciclo.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <div class="shell">
        <nav class="side" aria-label="Main">
        <a class="brand" href="/overview"><span class="mark" aria-hidden="true">◐</span> Ciclo</a>
        <ul>
        {{#chrome.nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>
        {{/chrome.nav}}
        </ul>
        </nav>
        <div class="column">
        <header class="top">
        {{#chrome.hasManyWorkspaces}}
        <form method="post" action="/workspace" class="switcher">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <label for="workspace-switch">Workspace</label>
        <select id="workspace-switch" name="workspace" data-autosubmit>
        {{#chrome.workspaces}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/chrome.workspaces}}
        </select>
        <button type="submit" class="secondary small">Switch</button>
        </form>
        {{/chrome.hasManyWorkspaces}}
        {{^chrome.hasManyWorkspaces}}<span class="workspace">Workspace <strong>{{chrome.workspaceName}}</strong></span>{{/chrome.hasManyWorkspaces}}
        <span class="who">{{chrome.email}} <span class="badge">{{chrome.role}}</span></span>
        <form method="post" action="/sign-out" class="inline">
        <input type="hidden" name="_csrf" value="{{chrome.csrf}}">
        <button type="submit" class="link">Sign out</button>
        </form>
        </header>
        <main id="main" tabindex="-1">
        {{#chrome.notice}}<p class="notice" role="status">{{chrome.notice}}</p>{{/chrome.notice}}
        {{$content}}{{/content}}
        </main>
        </div>
        </div>
        </body>
        </html>
        """

    static let error = """
        {{<layout}}{{$content}}
        <section class="card narrow">
        <h1>{{page.heading}}</h1>
        <p>{{page.message}}</p>
        <p><a href="/overview">Open the overview</a></p>
        </section>
        {{/content}}{{/layout}}
        """
}
