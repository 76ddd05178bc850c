from django import template

from trainings import selectors

register = template.Library()


@register.inclusion_tag("trainings/_attended.html", takes_context=True)
def attended_trainings(context, profile):
    """`{% attended_trainings profile %}`: the finished trainings the cadre attended.

    The cadre themself also gets the link to each certificate, how many trainings to come
    they are signed up for, and the way to "Pelatihan saya".
    """
    user = context.get("user")
    if user is not None and user.is_authenticated and user.pk == profile.user_id:
        registrations, upcoming = selectors.attended_and_upcoming(profile)
        return {"registrations": registrations, "own": True, "upcoming": upcoming}
    return {"registrations": selectors.attended_trainings(profile), "own": False, "upcoming": 0}
