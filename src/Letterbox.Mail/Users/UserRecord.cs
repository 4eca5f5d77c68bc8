namespace Letterbox.Mail.Users;

/// <summary>A user account. <see cref="PasswordHash"/> is a self-describing hash string (see
/// <see cref="PasswordHasher"/>), never a plain password; <see cref="ScramSecret"/> is the stored form of a
/// <see cref="Users.ScramSecret"/> for SCRAM-SHA-256 (RFC 7677), or null when none was set.</summary>
public sealed record UserRecord(long Id, string Name, string PasswordHash, string? ScramSecret = null);
