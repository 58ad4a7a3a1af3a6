using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>Where the exception handler sends a request whose page could not be built.</summary>
public sealed class ErrorModel : PageModel
{
    public bool TryLater { get; private set; }

    public void OnGet()
    {
        var failure = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (failure is null)
        {
            // Asked for directly: nothing failed, but this is no page to keep.
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        TryLater = failure is ApiUnavailableException { Status: StatusCodes.Status503ServiceUnavailable };
    }
}
