namespace Letterbox.Mail.Users;

/// <summary>A user account. <see cref="PasswordHash"/> is a self-describing hash string (see
/// <see cref="PasswordHasher"/>), never a plain password.</summary>
public sealed record UserRecord(long Id, string Name, string PasswordHash);
