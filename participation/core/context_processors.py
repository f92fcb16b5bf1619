from django.conf import settings


def platform(request):
    return {"CONTACT_EMAILS": settings.PARTICIPATION_CONTACT_EMAILS}
