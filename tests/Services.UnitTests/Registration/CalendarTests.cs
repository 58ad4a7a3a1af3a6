using PBServices.BuildingBlocks.Errors;
using PBServices.Contracts;
using PBServices.Registration.Domain;
using static PBServices.UnitTests.Registration.Preparation;

namespace PBServices.UnitTests.Registration;

public sealed class CalendarTests
{
    [Fact]
    public void Three_in_the_morning_UTC_on_the_2nd_is_still_the_1st_in_Lima()
    {
        Assert.Equal(new DateOnly(2026, 3, 1), Calendar.Today(new DateTimeOffset(2026, 3, 2, 3, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 2), Calendar.Today(new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void The_day_is_Lima_s_whatever_offset_the_clock_reports()
    {
        // 23:30 in Lima on the 1st is 13:30 on the 2nd in Tokyo.
        Assert.Equal(new DateOnly(2026, 3, 1), Calendar.Today(new DateTimeOffset(2026, 3, 2, 13, 30, 0, TimeSpan.FromHours(9))));
    }

    [Fact]
    public void A_window_holds_both_its_first_and_its_last_day()
    {
        var window = Window("2026-03-02", "2026-03-13");

        Assert.True(window.Contains(Day("2026-03-02")));
        Assert.True(window.Contains(Day("2026-03-13")));
        Assert.False(window.Contains(Day("2026-03-01")));
        Assert.False(window.Contains(Day("2026-03-14")));
    }

    [Fact]
    public void A_step_taken_outside_its_window_is_a_conflict_that_names_the_window_and_today()
    {
        var e = Assert.Throws<ConflictException>(() =>
            Calendar.Require(Preparation.Windows, PreparationStep.Objections, "The objection period", Day("2026-03-05")));

        Assert.Equal("calendar", e.Field);
        Assert.Equal("The objection period is open from 2026-03-23 to 2026-03-27 (Lima); today is 2026-03-05", e.Message);
    }

    [Fact]
    public void A_step_taken_on_the_last_day_of_its_window_is_allowed()
    {
        Calendar.Require(Preparation.Windows, PreparationStep.Registration, "Registration", Day("2026-03-13"));

        Assert.Throws<ConflictException>(() => Calendar.Require(Preparation.Windows, PreparationStep.Registration, "Registration", Day("2026-03-14")));
    }

    [Fact]
    public void Preparation_spans_registration_to_the_end_of_training()
    {
        Assert.Equal(Window("2026-03-02", "2026-04-17"), Preparation.Windows.Of(Stage.Preparation));
        Assert.Equal(Preparation.Windows.Concertation, Preparation.Windows.Of(Stage.Concertation));
    }
}
