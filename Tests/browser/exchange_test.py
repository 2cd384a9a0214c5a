"""The procedure's people end to end, across two real nodes, in headless Chromium.

A recruiter at Manchester sends a request in the dashboard; the responder at Salford gets the
alert e-mail (a real SMTP server), signs in and answers in the dashboard; the recruiter gets the
answer alert, records the checklist and the appointment. A second reference is answered "not
verified"; the recruiter takes it up the ladder, the head of service records a para 14 decision
and a legal hold, and the hold survives a retention run. Screenshots go to --screenshots.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dashboard_test import browser, check, settle, sign_in  # noqa: E402


def mail(folder, to, subject, timeout=60):
    """The first e-mail to `to` whose subject starts with `subject`, waiting up to `timeout` s."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            with open(path) as f:
                record = json.load(f)
            if to in record["rcpt_tos"] and record["subject"].startswith(subject):
                return record
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {to} starting {subject!r} within {timeout} s")


def fill(driver, values):
    for name, value in values.items():
        element = driver.find_element(By.ID, name)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)


def set_date(driver, field, value):
    """A date input's value as the form sends it (typing depends on the browser's locale)."""
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, field), value)


def choose(driver, name, value):
    driver.find_element(By.ID, f"{name}-{value}").click()


def wait_for(driver, element_id):
    settle(driver, 20).until(EC.presence_of_element_located((By.ID, element_id)))


def send_request(driver, url, candidate, registration):
    driver.get(url + "/requests/new")
    wait_for(driver, "send-request")
    fill(driver, {
        "to": "E08000006", "candidateName": candidate, "registration": registration, "agency": "Northern Care Ltd",
        "refereeName": "Priya Shah", "refereeStatedRole": "Service Manager", "team": "Children in Need East",
    })
    choose(driver, "role", "team-manager")
    for field, value in (("placementStart", "2025-03-03"), ("placementEnd", "2026-08-28"), ("dateGiven", "2026-09-15")):
        set_date(driver, field, value)
    driver.find_element(By.ID, "send-request").click()
    settle(driver, 20).until(lambda d: "/cases/" in d.current_url)
    settle(driver, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
    return driver.current_url.split("/cases/")[1].split("?")[0]


def answer(driver, url, case_id, outcome, position, approved):
    driver.get(f"{url}/cases/{case_id}/respond")
    wait_for(driver, "send-answer")
    choose(driver, "outcome", outcome)
    choose(driver, "authoredByReferee", "yes" if outcome == "verified" else "no")
    choose(driver, "refereePosition", position)
    fill(driver, {"refereeActualRole": "Service Manager" if position == "service-manager" else "Unknown"})
    choose(driver, "approvedBySeniorManager", "yes" if approved else "no")
    choose(driver, "placementDatesConfirmed", "yes")
    driver.find_element(By.ID, "send-answer").click()
    settle(driver, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))


def main():
    parser = argparse.ArgumentParser()
    for name in ("--manchester", "--salford", "--recruiter", "--head", "--responder", "--mail", "--screenshots",
                 "--retention"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    shot = lambda d, name: d.save_screenshot(os.path.join(args.screenshots, name))
    recruiter_email = args.recruiter.split(":", 1)[0]
    responder_email = args.responder.split(":", 1)[0]
    # One browser per person: cookies are per host, not per port, and a sign-in code works once.
    driver = browser()
    salford = browser()
    head = browser()
    try:
        print("recruiter at Manchester sends a request:")
        sign_in(driver, args.manchester, *args.recruiter.split(":", 1))
        driver.get(args.manchester + "/requests/new")
        driver.find_element(By.ID, "send-request").click()
        wait_for(driver, "error-summary")
        summary = driver.find_element(By.ID, "error-summary")
        check("There is a problem" in summary.text, "an empty form comes back with an error summary")
        link = summary.find_element(By.CSS_SELECTOR, "a")
        check(link.get_attribute("href").endswith("#to"), "whose first link goes to the first field")
        shot(driver, "request-errors.png")
        case_id = send_request(driver, args.manchester, "Alex Morgan", "SW104522")
        check("Request sent" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text, f"case {case_id} sent")

        print("responder at Salford is alerted and answers:")
        alert = mail(args.mail, responder_email, "New request from E08000003")
        check(case_id in alert["body"], "the alert e-mail names the case and what is asked")
        check("working hours" in alert["body"], "and the working-time deadline")
        sign_in(salford, args.salford, *args.responder.split(":", 1))
        deadline = time.time() + 30
        while time.time() < deadline:
            salford.get(f"{args.salford}/cases/{case_id}")
            if salford.find_elements(By.ID, "answer-link"):
                break
            time.sleep(0.5)
        salford.find_element(By.ID, "answer-link").click()
        wait_for(salford, "send-answer")
        shot(salford, "answer-form.png")
        answer(salford, args.salford, case_id, "verified", "service-manager", True)
        check("Answer sent" in salford.find_element(By.CSS_SELECTOR, "[role=status]").text, "answered in the browser")

        print("recruiter is told, records the checklist and the appointment:")
        answered = mail(args.mail, recruiter_email, "Answered: reference for Alex Morgan")
        check("verified" in answered["subject"], f"the answer alert: {answered['subject']!r}")
        driver.get(f"{args.manchester}/cases/{case_id}")
        check("Sam Okafor (service-manager)" in driver.find_element(By.ID, "answer").text,
              "the answer names who signed in at Salford, at their recorded level")
        driver.get(f"{args.manchester}/candidates/SW104522")
        for box in ("dbs", "permanent", "gaps"):
            driver.find_element(By.ID, box).click()
        driver.find_element(By.ID, "record-checklist").click()
        settle(driver, 20).until(EC.text_to_be_present_in_element((By.ID, "clearance"), "Cleared"))
        check(True, "the candidate is cleared")
        mail(args.mail, recruiter_email, "Cleared: Alex Morgan")
        check(True, "and the recruiter e-mailed so")
        driver.find_element(By.ID, "appoint-link").click()
        wait_for(driver, "record-appointment")
        set_date(driver, "appointedOn", "2026-12-07")
        driver.find_element(By.ID, "record-appointment").click()
        settle(driver, 20).until(EC.presence_of_element_located((By.ID, "appointments")))
        check("Jordan Ellis" in driver.find_element(By.ID, "appointments").text, "the appointment is recorded")
        shot(driver, "appointed.png")

        print("a second reference goes up the ladder to a para 14 decision and a legal hold:")
        second = send_request(driver, args.manchester, "Casey Hughes", "SW200048")
        deadline = time.time() + 30
        while time.time() < deadline:
            salford.get(f"{args.salford}/cases/{second}")
            if salford.find_elements(By.ID, "answer-link"):
                break
            time.sleep(0.5)
        answer(salford, args.salford, second, "not-verified", "other", False)
        deadline = time.time() + 30
        while time.time() < deadline:
            driver.get(f"{args.manchester}/cases/{second}")
            if "not-verified" in driver.find_element(By.ID, "case-status").text:
                break
            time.sleep(0.5)
        Select(driver.find_element(By.ID, "reason")).select_by_value("serious-concern")
        driver.find_element(By.ID, "note").send_keys("The reference was not written by the referee named.")
        driver.find_element(By.XPATH, "//form[contains(@action,'/escalations')]//button").click()
        settle(driver, 20).until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Level 2"))
        check(True, "the recruiter raised a serious concern (level 2, para 13)")
        sign_in(head, args.manchester, *args.head.split(":", 1))
        head.get(f"{args.manchester}/cases/{second}")
        head.find_element(By.ID, "decide-link").click()
        wait_for(head, "record-decision")
        choose(head, "decision", "referred-to-regulator")
        head.find_element(By.ID, "reason").send_keys("Falsified reference: referred to Social Work England.")
        head.find_element(By.ID, "record-decision").click()
        settle(head, 20).until(EC.presence_of_element_located((By.ID, "decisions")))
        check("Ruth Bell (Assistant director)" in head.find_element(By.ID, "decisions").text,
              "the head of service's para 14 decision, in their own name and title")
        head.find_element(By.ID, "hold-link").click()
        wait_for(head, "set-hold")
        head.find_element(By.ID, "reason").send_keys("Social Work England hearing pending.")
        head.find_element(By.ID, "set-hold").click()
        settle(head, 20).until(EC.presence_of_element_located((By.ID, "legal-hold")))
        check(True, "the case is under a legal hold")
        report = subprocess.run(args.retention, shell=True, capture_output=True, text=True, timeout=90)
        check(report.returncode == 0, f"a retention run: {report.stdout.strip() or report.stderr.strip()}")
        head.get(f"{args.manchester}/cases/{second}")
        check(head.find_elements(By.ID, "legal-hold") and "Casey Hughes" in head.title,
              "the hold and the candidate's data survive it")
        shot(head, "legal-hold.png")
    except Exception:
        for name, d in (("failure.png", driver), ("failure-salford.png", salford), ("failure-head.png", head)):
            shot(d, name)
        print(driver.page_source[:4000], file=sys.stderr)
        raise
    finally:
        for d in (driver, salford, head):
            d.quit()
    print("exchange browser test: passed")


if __name__ == "__main__":
    main()
