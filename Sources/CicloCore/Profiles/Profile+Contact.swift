/// Where a person is reached, decided once for the profile row, templates and every channel: the validated identity,
/// else the trait when it is itself a valid address or number. Raw trait text never reaches a channel.
extension Profile {
    /// The email address messages go to, or nil.
    public func contactEmail(identifiers: [Identifier]) -> String? {
        // Checked again even for the identity: rows stored before addresses were validated may hold anything.
        let candidates = identifiers.filter { $0.kind == .email }.map(\.value) + [email, traits["email"]?.stringValue].compactMap { $0 }
        return candidates.lazy.compactMap(EmailAddress.normalised).first
    }

    /// The phone number SMS and WhatsApp go to, or nil.
    public func contactPhone(identifiers: [Identifier]) -> String? {
        identifiers.first { $0.kind == .phone }?.value ?? traits["phone"]?.scalarText.flatMap { Identifier.normalised(.phone, $0)?.value }
    }
}
