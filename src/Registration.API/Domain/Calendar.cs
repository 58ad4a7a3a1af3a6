using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;

namespace PBServices.Registration.Domain;

/// <summary>The calendar's rules: windows in order, and a step taken only inside its window.</summary>
public static class Calendar
{
    public static DateOnly Today(DateTimeOffset now) => DateWindow.DayInPeru(now);

    /// <summary>Each window is a span of days; each starts on or after the day the previous one ends.</summary>
    public static ProcessCalendar Validate(ProcessCalendar? calendar, int fiscalYear)
    {
        if (calendar is null)
        {
            throw new DomainException("calendar", "The calendar is required: a window (from, to) for each step of Preparation and for each stage");
        }
        DateWindow? previous = null;
        string? previousName = null;
        foreach (var (name, window) in calendar.InOrder())
        {
            if (window is null || window.From == default || window.To == default)
            {
                throw new DomainException($"calendar.{name}", "Required: from and to, as yyyy-MM-dd");
            }
            if (window.To < window.From)
            {
                throw new DomainException($"calendar.{name}", $"Ends ({window.To:yyyy-MM-dd}) before it starts ({window.From:yyyy-MM-dd})");
            }
            if (previous is not null && window.From < previous.To)
            {
                throw new DomainException($"calendar.{name}", $"Starts {window.From:yyyy-MM-dd}, before {previousName} ends ({previous.To:yyyy-MM-dd}); the calendar runs in order");
            }
            previous = window;
            previousName = name;
        }
        // The agents agree the projects before the fiscal year whose budget they feed begins.
        if (calendar.Concertation.From.Year >= fiscalYear)
        {
            throw new DomainException("calendar.concertation", $"Concertation for fiscal year {fiscalYear} starts before {fiscalYear}");
        }
        if (calendar.Registration.From.Year < fiscalYear - 2)
        {
            throw new DomainException("calendar.registration", $"Registration for fiscal year {fiscalYear} starts in {fiscalYear - 2} or later");
        }
        return calendar;
    }

    public static void Require(DateWindow window, string what, DateOnly today)
    {
        if (!window.Contains(today))
        {
            throw new ConflictException("calendar", $"{what} is open from {window.From:yyyy-MM-dd} to {window.To:yyyy-MM-dd} (Lima); today is {today:yyyy-MM-dd}");
        }
    }

    public static void Require(ProcessCalendar calendar, PreparationStep step, string what, DateOnly today) =>
        Require(calendar.Of(step), what, today);
}
