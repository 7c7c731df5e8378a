/// Names, places and acquisition channels for demo visitors.
enum DemoPeople {
    static let firstNames = ["Ava", "Liam", "Sofia", "Noah", "Emma", "Luca", "Mia", "Leo", "Chloe", "Mateo", "Giulia",
                             "Oliver", "Hana", "Lucas", "Zoe", "Elias", "Nora", "Hugo", "Aisha", "Jonas", "Maya", "Omar"]
    static let lastNames = ["Rossi", "Smith", "Garcia", "Müller", "Martin", "Silva", "Tanaka", "Kowalski", "Dubois",
                            "Jensen", "Novak", "Brown", "Costa", "Schmidt", "Ferrari", "Moreau", "Lopez", "Kim"]
    static let places: [(city: String, country: String, timeZone: String, locale: String, weight: Double)] = [
        ("New York", "US", "America/New_York", "en-US", 5), ("Los Angeles", "US", "America/Los_Angeles", "en-US", 3),
        ("Chicago", "US", "America/Chicago", "en-US", 2), ("London", "GB", "Europe/London", "en-GB", 4),
        ("Rome", "IT", "Europe/Rome", "it-IT", 3), ("Milan", "IT", "Europe/Rome", "it-IT", 2),
        ("Berlin", "DE", "Europe/Berlin", "de-DE", 3), ("Madrid", "ES", "Europe/Madrid", "es-ES", 2),
        ("Paris", "FR", "Europe/Paris", "fr-FR", 3), ("São Paulo", "BR", "America/Sao_Paulo", "pt-BR", 2),
        ("Tokyo", "JP", "Asia/Tokyo", "ja-JP", 2), ("Sydney", "AU", "Australia/Sydney", "en-AU", 1),
    ]
    /// Acquisition: (source, medium, campaign, referrer, weight, signup multiplier).
    static let channels: [(source: String?, medium: String?, campaign: String?, referrer: String?, weight: Double, signup: Double)] = [
        ("google", "cpc", "brand_search", "https://www.google.com/", 20, 1.1),
        ("google", "organic", nil, "https://www.google.com/", 25, 1.0),
        ("facebook", "paid_social", "spring_sale", "https://www.facebook.com/", 15, 0.8),
        ("instagram", "paid_social", "new_arrivals", "https://www.instagram.com/", 10, 0.8),
        ("newsletter", "email", "weekly_digest", nil, 8, 1.4),
        ("partner", "affiliate", "blog_review", "https://www.bestgear-blog.example/", 7, 1.0),
        ("referral", "referral", "friends", "https://shop.example.com/r/", 5, 1.6),
        (nil, nil, nil, nil, 10, 1.0),
    ]
    static let devices: [(type: String, os: String, browser: String)] = [
        ("mobile", "iOS", "Safari"), ("mobile", "Android", "Chrome"), ("desktop", "Windows", "Chrome"),
        ("desktop", "macOS", "Safari"), ("tablet", "iPadOS", "Safari"),
    ]
    static let searches = ["running shoes", "hoodie", "gift", "waterproof jacket", "headphones", "sale", "candle",
                           "backpack", "serum", "sneakers white", "smartwatch"]
    static let coupons = ["WELCOME10", "SPRING15", "VIP20", "FREESHIP", "COMEBACK25"]
}
