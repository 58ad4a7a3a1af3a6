using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PBServices.Portal.Pages;

/// <summary>Signing out forgets the token; a POST, so that no other page can sign a person out with a link.</summary>
public sealed class SalirModel : PageModel
{
    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        Session.Forget(HttpContext);
        return LocalRedirect("/");
    }
}
