"""Media on S3-compatible storage (issue 15), against a real local S3 server: moto in server mode, started as its own
process. The project's own S3 settings (config.settings.base.s3_storage) are used, with the bucket policy that
docs/operations.md gives: anyone may read the images' renditions, nothing else. Members-only documents are never
readable at their object's address; the site serves them to members only."""

import io
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image as Picture
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from config.settings.base import s3_storage
from participation.network.services import members_group_ensure, members_space_ensure

BUCKET = "participation-media"
# docs/operations.md: the renditions (what pages show) are public; originals, documents and imports are not.
PUBLIC_PREFIXES = ["images/*"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory):
    """moto's S3 server on a free port, for this module; its address."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("s3") / "moto.log").open("w")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _attempt in range(300):
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("moto_server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    """The default storage on the local S3 server through the project's settings, in a bucket made for the test."""
    variables = {
        "S3_BUCKET_NAME": BUCKET,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION_NAME": "eu-west-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRenditions",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{BUCKET}/{prefix}" for prefix in PUBLIC_PREFIXES],
            }
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage()}
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _anonymous_get(url):
    """The status of a GET without any credentials, as a visitor's browser would send it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def _jpeg():
    output = io.BytesIO()
    Picture.new("RGB", (120, 80), (30, 90, 160)).save(output, format="JPEG")
    return ImageFile(output, name="facade.jpg")


def test_images_are_stored_in_the_bucket_and_their_renditions_are_public(s3_media, db):
    image = get_image_model().objects.create(title="Façade (démo)", file=_jpeg())
    rendition = image.get_rendition("fill-60x40")
    keys = {item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert image.file.name in keys and rendition.file.name in keys
    assert rendition.url.startswith(f"{s3_media.meta.endpoint_url}/{BUCKET}/images/")
    status, body = _anonymous_get(rendition.url)
    assert status == 200
    assert Picture.open(io.BytesIO(body)).size == (60, 40)
    # The original, as uploaded, is not public (only what pages show is).
    assert _anonymous_get(default_storage.url(image.file.name))[0] == 403


def test_members_only_documents_are_not_public_and_the_site_serves_them_to_members_only(s3_media, client, site_homes):
    _group, collection = members_space_ensure()
    document = get_document_model()(title="Compte rendu (démo)", collection=collection)
    document.file.save("compte-rendu.txt", ContentFile(b"members only: minutes"), save=False)
    document.save()
    assert s3_media.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == b"members only: minutes"

    assert _anonymous_get(default_storage.url(document.file.name))[0] == 403, "the object's own address is refused"
    assert client.get(document.url).status_code == 302, "the site sends a visitor to the sign-in page"
    outsider = get_user_model().objects.create_user(username="outsider", password="x")
    client.force_login(outsider)
    assert client.get(document.url).status_code in (302, 403)

    member = get_user_model().objects.create_user(username="member", password="x")
    member.groups.add(members_group_ensure())
    client.force_login(member)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"members only: minutes"


def test_public_documents_are_served_by_the_site_not_by_the_bucket(s3_media, client, site_homes):
    document = get_document_model()(title="Guide (démo)", collection=Collection.get_first_root_node())
    document.file.save("guide.txt", ContentFile(b"a public guide"), save=False)
    document.save()
    assert _anonymous_get(default_storage.url(document.file.name))[0] == 403
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"a public guide"
