"""`{% printable_links course "m1 m2" %}`: download links to a course's PDFs on any page that needs them."""

from django import template

from ..printables import printable_documents

register = template.Library()


@register.inclusion_tag("sessions/printable_links.html", takes_context=True)
def printable_links(context, course, names: str = ""):
    """Links to the named documents (all when no names are given) that the user may download."""
    wanted = names.split()
    documents = printable_documents(context["request"].user, course)
    if wanted:
        documents = [doc for doc in documents if doc.name in wanted]
    return {"course": course, "documents": documents}
