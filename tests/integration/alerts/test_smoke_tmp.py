from tests.integration.alerts.conftest import alert_mails, alerted


def test_smoke(app, save_search, make_listing, make_user, run, mailbox):
    search = save_search("q=road bike&max_price=300")
    listing = make_listing(price_minor=25_000)
    report = run()
    print(report)
    assert alerted(search) == [listing.id]
    print([m.subject for m in alert_mails(search.user)])
    print(mailbox.wait_for(1)[0])
