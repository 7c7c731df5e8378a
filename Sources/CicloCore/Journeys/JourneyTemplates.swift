import Foundation

/// Ready-made journeys a workspace can install and edit; their messages use the ready-made templates.
public enum JourneyTemplates {
    /// The templates' documents by key.
    public static let all: [String: JSONValue] = {
        var result: [String: JSONValue] = [:]
        for text in documents {
            if let json = try? JSONValue.parse(text), let key = json["key"]?.stringValue { result[key] = json }
        }
        return result
    }()

    static let documents = [
        #"""
        {"key": "welcome-series", "name": "Welcome series", "priority": 5,
         "trigger": {"event": "Signed Up"}, "entry": {"frequency": "once"},
         "goal": {"event": "Order Completed"}, "start": "welcome",
         "steps": {
           "welcome": {"type": "message", "channel": "email", "template": "welcome-1", "next": "wait-2d"},
           "wait-2d": {"type": "wait", "duration": {"days": 2}, "next": "how-to"},
           "how-to": {"type": "message", "channel": "email", "template": "welcome-2", "next": "wait-4d"},
           "wait-4d": {"type": "wait", "duration": {"days": 4}, "next": "offer"},
           "offer": {"type": "message", "channel": "email", "template": "welcome-3"}}}
        """#,
        #"""
        {"key": "abandoned-cart", "name": "Abandoned cart", "priority": 10,
         "trigger": {"event": "Product Added"}, "entry": {"frequency": {"oncePer": {"days": 1}}},
         "goal": {"event": "Order Completed"}, "start": "wait-1h",
         "steps": {
           "wait-1h": {"type": "waitForEvent", "event": "Order Completed", "timeout": {"hours": 1}, "onTimeout": "email"},
           "email": {"type": "message", "channel": "email", "template": "cart-email", "next": "wait-24h"},
           "wait-24h": {"type": "waitForEvent", "event": "Order Completed", "timeout": {"hours": 23}, "onTimeout": "consented"},
           "consented": {"type": "branch", "branches": [
               {"condition": {"trait": "whatsapp_opt_in", "op": "equals", "value": true}, "next": "whatsapp"},
               {"condition": {"trait": "sms_opt_in", "op": "equals", "value": true}, "next": "sms"}]},
           "whatsapp": {"type": "message", "channel": "whatsapp", "template": "cart-whatsapp"},
           "sms": {"type": "message", "channel": "sms", "template": "cart-sms"}}}
        """#,
        #"""
        {"key": "browse-abandonment", "name": "Browse abandonment", "priority": 3,
         "trigger": {"segmentEntered": "browse-abandoners"}, "entry": {"frequency": {"oncePer": {"days": 7}}},
         "goal": {"event": "Product Added"}, "exitWhen": {"segment": "cart-abandoners"}, "start": "wait",
         "steps": {
           "wait": {"type": "wait", "duration": {"hours": 4}, "next": "email"},
           "email": {"type": "message", "channel": "email", "template": "browse-email"}}}
        """#,
        #"""
        {"key": "second-purchase", "name": "Second-purchase nudge", "priority": 6,
         "trigger": {"segmentEntered": "first-time-buyers"}, "entry": {"frequency": "once"},
         "goal": {"event": "Order Completed"}, "start": "wait-14d",
         "steps": {
           "wait-14d": {"type": "wait", "duration": {"days": 14}, "next": "still-one"},
           "still-one": {"type": "branch", "branches": [{"condition": {"attribute": "order_count", "op": "equals", "value": 1}, "next": "nudge"}]},
           "nudge": {"type": "message", "channel": "email", "template": "second-purchase"}}}
        """#,
        #"""
        {"key": "win-back", "name": "Win-back of lapsed customers", "priority": 4,
         "trigger": {"segmentEntered": "lapsed"}, "entry": {"frequency": {"oncePer": {"days": 365}}},
         "goal": {"event": "Order Completed"}, "start": "at-90",
         "steps": {
           "at-90": {"type": "message", "channel": "email", "template": "winback-90", "next": "wait-90d"},
           "wait-90d": {"type": "wait", "duration": {"days": 90}, "next": "at-180"},
           "at-180": {"type": "message", "channel": "email", "template": "winback-180"}}}
        """#,
        #"""
        {"key": "vip-upsell", "name": "VIP upsell and cross-sell", "priority": 7,
         "trigger": {"segmentEntered": "vip"}, "entry": {"frequency": {"oncePer": {"days": 90}}},
         "goal": {"event": "Order Completed"}, "start": "morning",
         "steps": {
           "morning": {"type": "waitUntilTime", "time": "10:00", "weekdays": [2, 3, 4, 5, 6], "next": "split"},
           "split": {"type": "split", "arms": [{"name": "offer", "weight": 90, "next": "email"},
                                               {"name": "control", "weight": 10, "control": true}]},
           "email": {"type": "message", "channel": "email", "template": "vip-upsell"}}}
        """#,
        #"""
        {"key": "review-then-referral", "name": "Post-purchase review request, then referral ask", "priority": 2,
         "trigger": {"event": "Order Completed"}, "entry": {"frequency": {"oncePer": {"days": 30}}},
         "start": "wait-delivery",
         "steps": {
           "wait-delivery": {"type": "wait", "duration": {"days": 7}, "next": "ask-review"},
           "ask-review": {"type": "message", "channel": "email", "template": "review-request", "next": "await-review"},
           "await-review": {"type": "waitForEvent", "event": "Review Submitted", "timeout": {"days": 7},
                            "onEvent": "high-score", "onTimeout": "opened"},
           "opened": {"type": "branch", "branches": [
               {"condition": {"event": "Email Opened", "where": [{"property": "template", "op": "equals", "value": "review-request"}],
                              "within": {"days": 8}}, "next": "ask-review-again"}]},
           "ask-review-again": {"type": "message", "channel": "email", "template": "review-request"},
           "high-score": {"type": "branch", "branches": [
               {"condition": {"event": "Review Submitted", "where": [{"property": "rating", "op": "gte", "value": 4}], "within": {"days": 14}},
                "next": "referral"}]},
           "referral": {"type": "message", "channel": "email", "template": "referral-ask"}}}
        """#,
        #"""
        {"key": "nps-survey", "name": "NPS survey with promoter and detractor follow-ups", "priority": 1,
         "trigger": {"event": "Order Completed"}, "entry": {"frequency": {"oncePer": {"days": 90}}},
         "start": "wait-14d",
         "steps": {
           "wait-14d": {"type": "wait", "duration": {"days": 14}, "next": "survey"},
           "survey": {"type": "message", "channel": "email", "template": "nps-survey", "next": "await-answer"},
           "await-answer": {"type": "waitForEvent", "event": "NPS Submitted", "timeout": {"days": 10}, "onEvent": "answer"},
           "answer": {"type": "branch", "branches": [
               {"condition": {"attribute": "nps_category", "op": "equals", "value": "promoter"}, "next": "referral"},
               {"condition": {"attribute": "nps_category", "op": "equals", "value": "detractor"}, "next": "alert"}]},
           "referral": {"type": "message", "channel": "email", "template": "referral-ask"},
           "alert": {"type": "message", "channel": "webhook", "template": "https://hooks.example.com/ciclo/nps-detractor"}}}
        """#,
    ]
}
