using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>The page for an error status without a body of its own (re-executed by the status code pages).</summary>
public sealed class EstadoModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null;
        Code = reExecuted ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = Code;
    }
}
