"""Helpers for the data migrations that load vocabularies (they work on historical models only)."""

import uuid

LANGUAGES = ("fr", "nl", "en")


def terms_load(apps, model_name, terms):
    """Create or update terms given as (key, FR, NL, EN[, extra fields]) in editorial order."""
    Locale = apps.get_model("wagtailcore", "Locale")
    model = apps.get_model("core", model_name)
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}
    for order, (key, *labels_and_extra) in enumerate(terms):
        labels, extra = labels_and_extra[:3], (labels_and_extra[3] if len(labels_and_extra) > 3 else {})
        existing = model.objects.filter(key=key).values_list("translation_key", flat=True).first()
        translation_key = existing or uuid.uuid4()
        for code, label in zip(LANGUAGES, labels, strict=True):
            model.objects.update_or_create(
                key=key,
                locale=locales[code],
                defaults={"label": label, "sort_order": order, "translation_key": translation_key, **extra},
            )


GROUP_ACTIONS = {"Editors": ("add", "change"), "Moderators": ("add", "change", "delete")}


def permissions_create(apps):
    """Permissions are normally created after all migrations; data migrations that grant them need them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def model_permissions_grant(apps, model_names, app_label="core"):
    """Editors add and change these models' records; moderators may also delete them."""
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUP_ACTIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model.lower()}" for action in actions for model in model_names]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
