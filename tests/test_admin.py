import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OUR_APPS = {"dialogue", "interviews"}


def test_every_model_of_ours_is_in_the_admin():
    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert ours <= set(admin.site._registry)


def test_every_admin_list_search_and_form_answers(settings):
    settings.DEBUG = True
    call_command("loaddemo")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.dk", "x"))
    for model in admin.site._registry:
        if model._meta.app_label not in OUR_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert client.get(changelist).status_code == 200, changelist
        assert client.get(changelist, {"q": "demo"}).status_code == 200, changelist
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk])).status_code == 200
