"""The dashboard in real headless Chromium, against `refgate demo`'s first authority.

An operator sees an overdue request shown red and opens its case; a service manager
acknowledges an escalation and sees it move; a recruiter records the para 9 checklist and sees
a blocked candidate turn cleared. Screenshots go to --screenshots.
"""

import argparse
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait


def settle(driver, seconds):
    """A bounded wait that reads again when the page is replaced under it.

    A form post redirects and a page may refresh itself; Chromium then answers a read of an
    element from the old document with "Node with given id does not belong to the document",
    which selenium's own conditions do not treat as stale. Any such error means "not yet".
    """
    return WebDriverWait(
        driver, seconds, ignored_exceptions=(StaleElementReferenceException, WebDriverException)
    )


def browser():
    options = webdriver.ChromeOptions()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    # The demo's certificates come from its own regional CA.
    options.add_argument("--ignore-certificate-errors")
    options.add_argument("--window-size=1280,1000")
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    return driver


def sign_in(driver, url, email, code):
    driver.delete_all_cookies()
    driver.get(url + "/signin")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.ID, "sign-in").click()
    settle(driver, 15).until(lambda d: "/signin" not in d.current_url)
    header = driver.find_element(By.TAG_NAME, "header").text
    assert "Sign out" in header, f"not signed in as {email}: {header}"


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ok: {message}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--operator", required=True, help="EMAIL:CODE")
    parser.add_argument("--service-manager", required=True, help="EMAIL:CODE")
    parser.add_argument("--recruiter", required=True, help="EMAIL:CODE")
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    shot = lambda d, name: d.save_screenshot(os.path.join(args.screenshots, name))
    driver = browser()
    try:
        print("operator:")
        sign_in(driver, args.url, *args.operator.split(":", 1))
        check(driver.current_url.endswith("/outstanding"), "an operator lands on the outstanding requests")
        red = driver.find_elements(By.CSS_SELECTOR, "tr.case-row[data-rag=red]")
        check(len(red) > 0, f"{len(red)} overdue request(s) listed")
        tag = red[0].find_element(By.CSS_SELECTOR, ".tag")
        check("Red" in tag.text and "overdue" in tag.text, f"the overdue request says so in words: {tag.text!r}")
        colour = tag.value_of_css_property("background-color")
        check(colour in ("rgba(212, 53, 28, 1)", "rgb(212, 53, 28)"), f"and is shown red ({colour})")
        shot(driver, "outstanding.png")
        red[0].find_element(By.CSS_SELECTOR, "a").click()
        settle(driver, 15).until(EC.presence_of_element_located((By.ID, "timeline")))
        check("/cases/" in driver.current_url, "its case page opens")
        events = driver.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")
        check(len(events) >= 3, f"with its timeline ({len(events)} entries)")
        check("Red" in driver.find_element(By.ID, "case-status").text, "and its status red")
        shot(driver, "case.png")
        driver.get(args.url + "/performance")
        check(len(driver.find_elements(By.CSS_SELECTOR, "figure svg")) == 1, "regional performance has its chart")
        shot(driver, "performance.png")
        driver.get(args.url + "/deliveries")
        check(len(driver.find_elements(By.CSS_SELECTOR, "#deliveries tbody tr")) > 0, "delivery health per peer")
        # The coordinator's regional page: built from the 24 authorities' signed figures.
        driver.find_element(By.LINK_TEXT, "The region").click()
        settle(driver, 15).until(EC.presence_of_element_located((By.ID, "region-authorities")))
        rows = driver.find_elements(By.CSS_SELECTOR, "tr.region-row")
        check(len(rows) == 24, f"the region page lists every authority ({len(rows)})")
        ratings = driver.find_elements(By.CSS_SELECTOR, "tr.region-row .rating")
        check(len(ratings) == 24 * 4, f"each with a rating per standard ({len(ratings)})")
        known = [r.text for r in ratings if r.text in ("GREEN", "AMBER", "RED", "NOT RATED")]
        check(len(known) == len(ratings), "each rating is green, amber, red, or not rated")
        page = driver.find_element(By.TAG_NAME, "main").text
        check("fewer than 5" in page, "small numbers are suppressed as 'fewer than 5' (and not rated)")
        agencies = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "tr.agency-row")]
        check(any("Northern Social Care Recruitment Ltd" in a and "09876543" in a for a in agencies),
              f"each agency across the region by Companies House number ({len(agencies)})")
        sources = driver.find_elements(By.CSS_SELECTOR, "#region-sources tbody tr")
        check(len(sources) >= 24, f"and the signed figures behind it ({len(sources)})")
        shot(driver, "region.png")
        driver.find_element(By.ID, "region-report").click()
        settle(driver, 15).until(EC.presence_of_element_located((By.ID, "region-authorities")))
        check("keeping the references procedure" in driver.title, f"the printable report opens: {driver.title!r}")
        check(not driver.find_elements(By.CSS_SELECTOR, "nav"), "without the menu, to print")

        print("service manager:")
        sign_in(driver, args.url, *args.service_manager.split(":", 1))
        check(driver.current_url.endswith("/escalations"), "a service manager lands on the escalations inbox")
        buttons = driver.find_elements(By.CSS_SELECTOR, "button.acknowledge")
        check(len(buttons) > 0, f"{len(buttons)} escalation(s) wait for acknowledgement")
        row_id = buttons[0].find_element(By.XPATH, "./ancestor::tr").get_attribute("id")
        shot(driver, "escalations-before.png")
        buttons[0].click()
        settle(driver, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[role=status]")))
        check("Escalation acknowledged" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text, "acknowledged")
        row = driver.find_element(By.ID, row_id)
        check(not row.find_elements(By.CSS_SELECTOR, "button.acknowledge"), "its button is gone")
        check("Acknowledged by" in row.find_element(By.CSS_SELECTOR, ".state").text, f"it moved: {row.text!r}")
        shot(driver, "escalations-after.png")

        print("recruiter:")
        sign_in(driver, args.url, *args.recruiter.split(":", 1))
        check(driver.current_url.endswith("/candidates"), "a recruiter lands on the candidates")
        blocked = [
            r for r in driver.find_elements(By.CSS_SELECTOR, "tr.candidate-row")
            if "Blocked" in r.find_element(By.CSS_SELECTOR, ".clearance").text
            and "not verified" not in r.text
            and "no reference" not in r.text
        ]
        check(len(blocked) > 0, "a candidate is blocked only by the checklist")
        registration = blocked[0].get_attribute("data-registration")
        blocked[0].find_element(By.CSS_SELECTOR, "a").click()
        settle(driver, 15).until(EC.presence_of_element_located((By.ID, "clearance")))
        check(driver.find_element(By.ID, "clearance").text == "Blocked", f"{registration} is blocked")
        shot(driver, "candidate-blocked.png")
        for box in ("dbs", "permanent", "gaps"):
            element = driver.find_element(By.ID, box)
            if not element.is_selected():
                element.click()
        driver.find_element(By.ID, "record-checklist").click()
        settle(driver, 15).until(EC.text_to_be_present_in_element((By.ID, "clearance"), "Cleared"))
        check(driver.find_element(By.ID, "clearance").text == "Cleared", f"{registration} turned cleared")
        shot(driver, "candidate-cleared.png")
        driver.get(args.url + "/candidates")
        row = driver.find_element(By.CSS_SELECTOR, f"tr.candidate-row[data-registration={registration}]")
        check("Cleared" in row.text, "and shows cleared in the list")
    except Exception:
        shot(driver, "failure.png")
        print(driver.page_source[:3000], file=sys.stderr)
        raise
    finally:
        driver.quit()
    print("browser test: passed")


if __name__ == "__main__":
    main()
