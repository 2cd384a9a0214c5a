"""Sign-in through a real OpenID Connect provider in headless Chromium.

The node signs people in only through the provider (one-time codes are off). The recruiter
clicks "Sign in with …", signs in at the provider's own page, comes back signed in, and signs
out; the session ends. Screenshots go to --screenshots.
"""

import argparse
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dashboard_test import browser, check, settle  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    driver = browser()
    wait = settle(driver, 20)
    try:
        print("recruiter signs in through the council's provider:")
        driver.get(args.url + "/signin")
        wait.until(EC.presence_of_element_located((By.ID, "sign-in-oidc")))
        check(not driver.find_elements(By.ID, "code"), "the one-time code form is not offered (codes are off)")
        driver.find_element(By.ID, "sign-in-oidc").click()
        wait.until(EC.presence_of_element_located((By.ID, "provider-sign-in")))
        check("Council sign-in" in driver.title, f"the provider's own page asks who they are: {driver.title!r}")
        driver.find_element(By.ID, "id_username").send_keys(args.email)
        driver.find_element(By.ID, "id_password").send_keys(args.password)
        driver.save_screenshot(os.path.join(args.screenshots, "provider.png"))
        driver.find_element(By.ID, "provider-sign-in").click()
        wait.until(EC.url_contains("/candidates"))
        wait.until(EC.presence_of_element_located((By.ID, "candidates")))
        header = driver.find_element(By.TAG_NAME, "header").text
        check("Jordan Ellis" in header, f"back at the node, signed in as themselves: {header!r}")
        driver.save_screenshot(os.path.join(args.screenshots, "signed-in.png"))

        print("and signs out:")
        driver.find_element(By.CSS_SELECTOR, "header form button").click()
        wait.until(EC.url_contains("/signin"))
        driver.get(args.url + "/candidates")
        wait.until(EC.url_contains("/signin"))
        check(driver.current_url.endswith("/signin"), "the session ended: the page asks them to sign in again")
        print("oidc browser test: passed")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
