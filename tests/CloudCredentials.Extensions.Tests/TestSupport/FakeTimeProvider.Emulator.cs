namespace CloudCredentials.Tests.Emulator;

/// <summary>
/// The package's <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>, starting at 2026-01-01 (its own default
/// is 2000-01-01): the emulator tests expect the dates they were written against. Transitional, and outside
/// <c>Emulator/</c> on purpose: that folder moves to its own test project, which should pass this start to the package's
/// type instead; delete this file then.
/// </summary>
internal sealed class FakeTimeProvider() : Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
