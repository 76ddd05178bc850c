from django import template

from trainings import selectors

register = template.Library()


@register.inclusion_tag("trainings/_attended.html", takes_context=True)
def attended_trainings(context, profile):
    """`{% attended_trainings profile %}`: the finished trainings the cadre attended.

    The cadre themself also gets the link to each certificate.
    """
    user = context.get("user")
    return {
        "registrations": selectors.attended_trainings(profile),
        "own": user is not None and user.is_authenticated and user.pk == profile.user_id,
    }
