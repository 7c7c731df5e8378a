import Foundation

extension MessageTemplate {
    static func email(_ key: String, _ name: String, subject: String, preheader: String, heading: String, body: String,
                      cta: String, url: String = "https://shop.example.com/") -> MessageTemplate {
        let html = """
            <!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f2933;max-width:560px;margin:auto">
            <p style="display:none">\(preheader)</p>
            <h1 style="font-size:22px">\(heading)</h1>
            <p>\(body)</p>
            {% if cart %}<table>{% for item in cart %}<tr><td>{{ item.name | default: "Item" }}</td><td>{{ item.price | money }}</td></tr>{% endfor %}</table>{% endif %}
            <p><a href="\(url)" style="background:#0b7285;color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none">\(cta)</a></p>
            <p style="font-size:12px;color:#7b8794">You get this because you have an account at {{ workspace.name }}.
            <a href="{{ links.preferences }}">Preferences</a> · <a href="{{ links.unsubscribe }}">Unsubscribe</a></p>
            </body></html>
            """
        let text = "\(heading)\n\n\(body)\n\n\(cta): \(url)\n\nUnsubscribe: {{ links.unsubscribe }}"
        return MessageTemplate(key: key, name: name, channel: "email", parts: ["subject": subject, "preheader": preheader, "html": html, "text": text])
    }

    /// The templates the ready-made journeys use.
    public static let readyMade: [MessageTemplate] = [
        email("welcome-1", "Welcome 1: hello", subject: "Welcome, {{ traits.first_name | default: \"friend\" }}!",
              preheader: "Here is what to expect", heading: "Welcome aboard, {{ traits.first_name | default: \"friend\" }}",
              body: "Thanks for joining. New arrivals land every week.", cta: "Start shopping"),
        email("welcome-2", "Welcome 2: how it works", subject: "How to get the most out of your account", preheader: "Three tips",
              heading: "Three tips", body: "Save favourites, track orders and get early access to sales.", cta: "Explore"),
        email("welcome-3", "Welcome 3: first-order offer", subject: "10% off your first order", preheader: "Use WELCOME10",
              heading: "A little welcome gift", body: "Use code WELCOME10 at checkout.", cta: "Shop with 10% off"),
        email("cart-email", "Cart reminder", subject: "You left something behind", preheader: "Your cart is waiting",
              heading: "Still thinking it over?", body: "Your cart is saved for you.", cta: "Back to my cart", url: "https://shop.example.com/cart"),
        MessageTemplate(key: "cart-sms", name: "Cart reminder (SMS)", channel: "sms",
                        parts: ["text": "{{ workspace.name }}: your cart is waiting. https://shop.example.com/cart Reply STOP to opt out."]),
        MessageTemplate(key: "cart-whatsapp", name: "Cart reminder (WhatsApp)", channel: "whatsapp",
                        parts: ["text": "Hi {{ traits.first_name | default: \"there\" }}, your cart at {{ workspace.name }} is waiting: https://shop.example.com/cart",
                                "template": "cart_reminder", "variables": "{{ traits.first_name | default: \"there\" }}"]),
        email("browse-email", "Browse follow-up", subject: "Still looking?", preheader: "A few picks for you",
              heading: "Picked for you", body: "Take another look at what caught your eye.", cta: "See picks"),
        email("second-purchase", "Second-purchase nudge", subject: "Ready for round two?", preheader: "Something new for you",
              heading: "We think you will like these", body: "Customers who bought what you did also loved these.", cta: "Shop again"),
        email("winback-90", "Win-back at 90 days", subject: "We miss you", preheader: "It has been a while",
              heading: "It has been a while", body: "Here is 15% off to welcome you back: COMEBACK15.", cta: "Come back"),
        email("winback-180", "Win-back at 180 days", subject: "One last thing before we say goodbye", preheader: "25% off",
              heading: "25% off, just for you", body: "Use COMEBACK25 in the next 7 days.", cta: "Use my 25%"),
        email("vip-upsell", "VIP upsell", subject: "Early access for our best customers", preheader: "Before anyone else",
              heading: "You are on the list", body: "Shop the new collection before anyone else.", cta: "Shop early"),
        email("review-request", "Review request", subject: "How was your order?", preheader: "Tell us in one click",
              heading: "How did we do?", body: "Your review helps other shoppers.", cta: "Write a review"),
        MessageTemplate(key: "nps-survey", name: "NPS survey", channel: "email", topic: "nps", parts: [
            "subject": "How likely are you to recommend {{ workspace.name }}?", "preheader": "One click is all it takes",
            "html": """
                <!doctype html><html><body style="font-family:Helvetica,Arial,sans-serif;color:#1f2933;max-width:560px;margin:auto">
                <h1 style="font-size:20px">How likely are you to recommend us to a friend?</h1>
                <p>{% for link in links.nps %}<a href="{{ link.url }}" style="display:inline-block;width:32px;padding:8px 0;margin:2px;text-align:center;border:1px solid #cbd2d9;border-radius:4px;text-decoration:none;color:#1f2933">{{ link.score }}</a>{% endfor %}</p>
                <p style="font-size:12px;color:#7b8794">0 = not at all likely, 10 = extremely likely. <a href="{{ links.unsubscribe }}">Unsubscribe</a></p>
                </body></html>
                """,
            "text": "How likely are you to recommend us?\n{% for link in links.nps %}{{ link.score }}: {{ link.url }}\n{% endfor %}"]),
        email("referral-ask", "Referral ask", subject: "Give 10, get 10", preheader: "Share the love",
              heading: "Share with a friend", body: "Your friends get 10 off and so do you.", cta: "Get my link"),
    ]
}
