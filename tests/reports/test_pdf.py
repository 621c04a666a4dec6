"""The report's PDF: renders, carries the text, and fetches nothing outside."""

import shutil
import subprocess

import pytest

from core import pdf as crm_pdf
from reports import pdf, services

pytestmark = pytest.mark.django_db


def _text(content, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_approved_report_renders_with_the_managers_name_and_the_month(
    approved, manager, regional_manager, tmp_path
):
    content = pdf.report_pdf(approved)
    assert content.startswith(b"%PDF")
    text = _text(content, tmp_path)
    assert "2026-09" in text
    assert str(manager) in text
    assert "客户月度销售情况分析报告" in text
    assert str(regional_manager) in text  # the approval line


def test_text_cannot_pull_files_into_the_pdf(report, manager, tmp_path, monkeypatch):
    fetched = []
    real_fetcher = crm_pdf.url_fetcher

    def spy(url, *args, **kwargs):
        fetched.append(url)
        return real_fetcher(url, *args, **kwargs)

    monkeypatch.setattr(crm_pdf, "url_fetcher", spy)
    services.report_update_sections(
        report=report,
        actor=manager,
        data={
            "problems": '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://example.com/x.css">',
            "opinions": '<iframe src="file:///etc/hostname"></iframe>',
        },
    )
    report = services.report_submit(report=report, actor=manager)
    content = pdf.report_pdf(report)
    assert content.startswith(b"%PDF")
    assert fetched == []
    text = _text(content, tmp_path)
    assert 'src="file:///etc/passwd"' in text  # shown as text, escaped
    assert "root:" not in text


def test_the_fetcher_refuses_files_and_network():
    for url in ("file:///etc/passwd", "http://example.com/a.png", "https://crm.invalid/../x"):
        with pytest.raises(crm_pdf.RefusedURL):
            crm_pdf.url_fetcher(url)


def test_a_draft_has_no_pdf(report):
    from core.errors import ConflictError

    with pytest.raises(ConflictError):
        pdf.report_pdf(report)
