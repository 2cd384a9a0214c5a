/// The dashboard's Mustache templates. They live in the binary so a node needs no template
/// folder; `{{…}}` escapes everything for HTML, and no template uses the unescaped `{{{…}}}`
/// except `layout`'s `content`, which is a page these templates rendered, and `chart`, an
/// SVG built from numbers and escaped names.
enum DashboardTemplates {
    static let all: [String: String] = [
        "layout": layout, "signin": signIn, "outstanding": outstanding, "case": casePage,
        "escalations": escalations, "candidates": candidates, "candidate": candidate, "deliveries": deliveries,
        "performance": performance, "message": message, "form": form, "region": region,
        "region-report": regionReport, "agencies": agencies, "agency-confirm": agencyConfirm,
    ]

    static let layout = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} – refgate – {{authorityName}}</title>
        <style>
        body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#0b0c0c;background:#fff;font-size:19px;line-height:1.4}
        a{color:#1d70b8}a:visited{color:#4c2c92}a:focus,button:focus,input:focus,select:focus{outline:3px solid #fd0;box-shadow:0 4px #0b0c0c}
        .skip{position:absolute;left:-9999px}.skip:focus{left:0;background:#fd0;color:#0b0c0c;padding:8px}
        header{background:#0b0c0c;color:#fff;padding:10px 30px;display:flex;flex-wrap:wrap;gap:20px;align-items:center}
        header .service{font-weight:bold;font-size:24px}header a,header a:visited{color:#fff}header a[aria-current]{font-weight:bold;text-decoration-thickness:3px}
        nav ul{list-style:none;margin:0;padding:0;display:flex;gap:18px;flex-wrap:wrap}
        header form{margin-left:auto}main{padding:20px 30px;max-width:1200px}
        table{border-collapse:collapse;width:100%;margin-bottom:30px}caption{text-align:left;font-weight:bold;font-size:22px;margin-bottom:10px}
        th,td{border-bottom:1px solid #b1b4b6;padding:8px 10px 8px 0;text-align:left;vertical-align:top}
        .tag{display:inline-block;padding:2px 8px;font-weight:bold;letter-spacing:.5px}
        .red{background:#d4351c;color:#fff}.amber{background:#ffdd00;color:#0b0c0c}.green{background:#00703c;color:#fff}
        .grey{background:#505a5f;color:#fff}
        .warning{border-left:10px solid #d4351c;padding:10px 15px;margin:0 0 20px;background:#fff}
        .notice{border-left:10px solid #1d70b8;padding:10px 15px;margin:0 0 20px}
        button,.button{background:#00703c;color:#fff;border:0;padding:8px 12px;font-size:19px;cursor:pointer;box-shadow:0 2px #002d18}
        .secondary{background:#f3f2f1;color:#0b0c0c;box-shadow:0 2px #929191}
        label{display:block;font-weight:bold;margin:10px 0 5px}input[type=text],input[type=email],select{font-size:19px;padding:5px;border:2px solid #0b0c0c}
        .inline label{display:inline;font-weight:normal}.filters{display:flex;gap:20px;flex-wrap:wrap;align-items:flex-end;margin-bottom:20px}
        dl{display:grid;grid-template-columns:max-content auto;gap:5px 20px}dt{font-weight:bold}
        .error-summary{border:5px solid #d4351c;padding:15px;margin-bottom:30px}.error-summary a{color:#d4351c;font-weight:bold}
        .field{margin-bottom:20px}.field-error{border-left:5px solid #d4351c;padding-left:15px}.error-message{color:#d4351c;font-weight:bold;margin:5px 0}
        .hint{color:#505a5f;margin-bottom:5px}fieldset{border:0;padding:0;margin:0}legend{font-weight:bold;margin-bottom:5px}
        textarea{font-size:19px;width:100%;max-width:40em;border:2px solid #0b0c0c}input[type=date]{font-size:19px;padding:5px;border:2px solid #0b0c0c}
        </style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to main content</a>
        <header>
        <span class="service">refgate</span><span>{{authorityName}}</span>
        {{#user}}
        <nav aria-label="Main"><ul>{{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>
        <form method="post" action="/signout"><input type="hidden" name="csrf" value="{{csrf}}"><span>{{name}} ({{roleTitle}})</span> <button class="secondary" type="submit">Sign out</button></form>
        {{/user}}
        </header>
        <main id="main">
        {{#warnings}}<div class="warning" role="alert"><strong>Warning:</strong> {{.}}</div>{{/warnings}}
        {{#flash}}<div class="notice" role="status">{{.}}</div>{{/flash}}
        <h1>{{title}}</h1>
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let signIn = """
        {{#error}}<div class="warning" role="alert">{{error}}</div>{{/error}}
        {{#oidc}}<p><a class="button" id="sign-in-oidc" href="/signin/oidc">Sign in with {{name}}</a></p>{{/oidc}}
        {{#codes}}
        <p>Sign in with your work e-mail address and the one-time code you were given.</p>
        <form method="post" action="/signin">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="email">E-mail address</label><input type="email" id="email" name="email" autocomplete="email" value="{{email}}" required>
        <label for="code">One-time code</label><input type="text" id="code" name="code" autocomplete="one-time-code" required>
        <p><button type="submit" id="sign-in">Sign in</button></p>
        </form>
        <h2>No code?</h2>
        <form method="post" action="/signin/code">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="code-email">E-mail address</label><input type="email" id="code-email" name="email" autocomplete="email" required>
        <p><button class="secondary" type="submit">E-mail me a code</button></p>
        </form>
        {{/codes}}
        """

    static let outstanding = """
        <form class="filters" method="get" action="/outstanding">
        <div><label for="direction">Direction</label><select id="direction" name="direction">
        {{#directions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/directions}}</select></div>
        <div><label for="rag">Status</label><select id="rag" name="rag">
        {{#rags}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/rags}}</select></div>
        <div><label for="candidate">Candidate</label><input type="text" id="candidate" name="candidate" value="{{candidate}}"></div>
        <div><button type="submit">Filter</button></div>
        </form>
        <table id="outstanding">
        <caption>{{total}} awaiting an answer</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Case</th><th scope="col">Direction</th><th scope="col">Authority</th><th scope="col">Candidate</th><th scope="col">Working time</th><th scope="col">Escalation</th></tr></thead>
        <tbody>
        {{#rows}}<tr class="case-row" data-rag="{{rag}}"><td><span class="tag {{rag}}">{{ragLabel}}</span></td><td><a href="/cases/{{caseID}}">{{shortID}}</a></td><td>{{direction}}</td><td>{{peerName}}</td><td>{{candidateName}}<br><small>{{role}}</small></td><td>{{timeLeft}}</td><td>{{escalation}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="7">Nothing awaits an answer.</td></tr>{{/rows}}
        </tbody></table>
        {{#pager}}\(pager){{/pager}}
        """

    /// Where a long list is: which rows are shown, and links to the pages either side.
    static let pager = """
        <nav class="pager" aria-label="Pages"><p>Showing {{first}}–{{last}}{{#total}} of {{total}}{{/total}}.
        {{#previous}}<a href="{{previous}}" id="previous-page">Previous page</a>{{/previous}}
        {{#next}}<a href="{{next}}" id="next-page">Next page</a>{{/next}}</p></nav>
        """

    static let casePage = """
        <dl>
        <dt>Case</dt><dd id="case-id">{{caseID}}</dd>
        <dt>Status</dt><dd id="case-status">{{status}}{{#rag}} <span class="tag {{rag}}">{{ragLabel}}</span>{{/rag}}</dd>
        <dt>Direction</dt><dd>{{direction}} {{peerName}}</dd>
        <dt>Candidate</dt><dd>{{candidateName}}, {{role}}</dd>
        <dt>Respond by</dt><dd>{{respondBy}}</dd>
        {{#timeLeft}}<dt>Working time</dt><dd>{{timeLeft}}</dd>{{/timeLeft}}
        <dt>Escalation</dt><dd>{{escalation}}</dd>
        {{#holdReason}}<dt>Legal hold</dt><dd><span class="tag red" id="legal-hold">LEGAL HOLD</span> {{holdReason}} ({{holdBy}})</dd>{{/holdReason}}
        </dl>
        {{#response}}<table id="answer"><caption>Answer</caption><tbody>
        <tr><th scope="row">Outcome</th><td id="answer-outcome">{{outcome}}</td></tr>
        <tr><th scope="row">By</th><td>{{responder}}</td></tr>
        <tr><th scope="row">Referee's actual role</th><td>{{refereeRole}}</td></tr>
        {{#concerns}}<tr><th scope="row">Concerns</th><td>{{concerns}}</td></tr>{{/concerns}}
        </tbody></table>{{/response}}
        {{#hasDecisions}}<table id="decisions"><caption>Para 14 decisions</caption>
        <thead><tr><th scope="col">Decision</th><th scope="col">Reason</th><th scope="col">By</th><th scope="col">When</th></tr></thead>
        <tbody>{{#decisions}}<tr><td class="decision">{{decision}}</td><td>{{reason}}</td><td>{{by}}</td><td>{{at}}</td></tr>{{/decisions}}</tbody></table>{{/hasDecisions}}
        <p class="actions">{{#canAnswer}}<a class="button" id="answer-link" href="/cases/{{caseID}}/respond">Answer this request</a> {{/canAnswer}}{{#canDecide}}<a class="button" id="decide-link" href="/cases/{{caseID}}/decide">Record a para 14 decision</a> {{/canDecide}}{{#canHold}}<a class="button secondary" id="hold-link" href="/cases/{{caseID}}/hold">Put under legal hold</a>{{/canHold}}</p>
        {{#canRelease}}<form method="post" action="/cases/{{caseID}}/hold/release"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="secondary" id="release-hold">Release the legal hold</button></form>{{/canRelease}}
        {{#canEscalate}}
        <form method="post" action="/cases/{{caseID}}/escalations" class="filters">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div><label for="reason">Escalate</label><select id="reason" name="reason"><option value="unsatisfactory-response">Unsatisfactory response (level 1)</option><option value="serious-concern">Serious concern (level 2)</option></select></div>
        <div><label for="note">Why</label><input type="text" id="note" name="note"></div>
        <div><button type="submit">Escalate</button></div>
        </form>
        {{/canEscalate}}
        <table id="timeline"><caption>Timeline</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Detail</th></tr></thead>
        <tbody>{{#timeline}}<tr><td>{{at}}</td><td>{{action}}</td><td>{{actor}}</td><td>{{detail}}</td></tr>{{/timeline}}</tbody></table>
        <table><caption>Messages</caption>
        <thead><tr><th scope="col">Kind</th><th scope="col">Direction</th><th scope="col">Sent</th><th scope="col">Receipt</th></tr></thead>
        <tbody>{{#messages}}<tr><td>{{kind}}</td><td>{{direction}}</td><td>{{sentAt}}</td><td>{{receipt}}</td></tr>{{/messages}}</tbody></table>
        """

    static let escalations = """
        <table id="escalations"><caption>{{caption}}</caption>
        <thead><tr><th scope="col">Level</th><th scope="col">Case</th><th scope="col">Reason</th><th scope="col">Raised by</th><th scope="col">Due</th><th scope="col">State</th></tr></thead>
        <tbody>
        {{#rows}}<tr class="escalation-row" id="escalation-{{id}}"><td>{{level}}</td><td><a href="/cases/{{caseID}}">{{shortCase}}</a></td><td>{{reason}}{{#note}}<br><small>{{note}}</small>{{/note}}</td><td>{{raisedBy}}</td><td>{{dueAt}}</td>
        <td>{{#canAcknowledge}}<form method="post" action="/escalations/{{id}}/acknowledge"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="acknowledge">Acknowledge<span class="skip"> escalation {{shortID}}</span></button></form>{{/canAcknowledge}}{{^canAcknowledge}}<span class="state">{{state}}</span>{{/canAcknowledge}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="6">No escalations.</td></tr>{{/rows}}
        </tbody></table>
        """

    static let candidates = """
        <table id="candidates"><caption>Candidates</caption>
        <thead><tr><th scope="col">Candidate</th><th scope="col">Registration</th><th scope="col">Appointment</th><th scope="col">Why</th></tr></thead>
        <tbody>
        {{#rows}}<tr class="candidate-row" data-registration="{{registration}}"><td><a href="/candidates/{{registration}}">{{name}}</a></td><td>{{registration}}</td><td><span class="tag {{tag}} clearance">{{clearance}}</span></td><td>{{#reasons}}{{.}}<br>{{/reasons}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="4">No candidates yet.</td></tr>{{/rows}}
        </tbody></table>
        {{#pager}}\(pager){{/pager}}
        """

    static let candidate = """
        <p>Appointment: <span class="tag {{tag}} clearance" id="clearance">{{clearance}}</span></p>
        {{#hasReasons}}<ul id="reasons">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>{{/hasReasons}}
        <table><caption>References</caption>
        <thead><tr><th scope="col">Case</th><th scope="col">Authority</th><th scope="col">Status</th></tr></thead>
        <tbody>{{#references}}<tr><td><a href="/cases/{{caseId}}">{{shortID}}</a></td><td>{{peerName}}</td><td>{{status}}{{#route}}<br><small class="route">{{route}}</small>{{/route}}</td></tr>{{/references}}
        {{#offline}}<tr><td>–</td><td>{{organisation}}</td><td>verified {{method}} with {{name}} on {{on}}, outside the exchange</td></tr>{{/offline}}</tbody></table>
        {{#agency}}<section id="agency"><h2>The agency (paragraphs 8 and 9)</h2>
        <p>Companies House number {{agency}}. Notices sent: {{notices}}{{^notices}}none yet{{/notices}}.</p>
        {{#agencyChecks}}<p id="agency-checks">The agency confirmed its checks ({{summary}}): {{by}}, by {{method}}, {{at}}.</p>{{/agencyChecks}}
        {{^agencyChecks}}<p id="agency-checks">The agency has not confirmed its own checks yet.</p>{{/agencyChecks}}
        {{#canSendLink}}<form method="post" action="/candidates/{{registration}}/agency-link"><input type="hidden" name="csrf" value="{{csrf}}"><button class="secondary" type="submit" id="send-agency-link">E-mail the agency a one-time link to confirm</button></form>{{/canSendLink}}
        </section>{{/agency}}
        {{#hasAppointments}}<table id="appointments"><caption>Appointments</caption>
        <thead><tr><th scope="col">Date</th><th scope="col">Approved by</th><th scope="col">Clearance</th></tr></thead>
        <tbody>{{#appointments}}<tr><td>{{on}}</td><td>{{by}}</td><td>{{#before}}<span class="tag red">BEFORE CLEARANCE</span> {{reason}}{{/before}}{{^before}}<span class="tag green">Cleared</span>{{/before}}</td></tr>{{/appointments}}</tbody></table>{{/hasAppointments}}
        <p>{{#canAppoint}}<a class="button" id="appoint-link" href="/candidates/{{registration}}/appoint">Record the appointment</a> {{/canAppoint}}{{#canVerifyOutside}}<a class="button secondary" id="verify-outside-link" href="/candidates/{{registration}}/verified-outside">Record a reference verified by telephone or in writing</a>{{/canVerifyOutside}}</p>
        {{#canRecord}}
        <form method="post" action="/candidates/{{registration}}/checklist">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Safer recruitment checklist (para 9)</legend>
        <div class="inline"><input type="checkbox" id="dbs" name="dbsReviewed" value="yes"{{#dbs}} checked{{/dbs}}> <label for="dbs">DBS certificate reviewed</label></div>
        <div class="inline"><input type="checkbox" id="permanent" name="permanentEmployerReferences" value="yes"{{#permanent}} checked{{/permanent}}> <label for="permanent">References from permanent employers, not only agencies</label></div>
        <div class="inline"><input type="checkbox" id="gaps" name="employmentGapsChallenged" value="yes"{{#gaps}} checked{{/gaps}}> <label for="gaps">Gaps in employment challenged</label></div>
        </fieldset>
        <p><button type="submit" id="record-checklist">Record checklist</button></p>
        </form>
        {{/canRecord}}
        """

    static let deliveries = """
        <table id="deliveries"><caption>Delivery health by peer</caption>
        <thead><tr><th scope="col">Authority</th><th scope="col">State</th><th scope="col">Last success</th><th scope="col">Backlog</th><th scope="col">Oldest undelivered</th><th scope="col">Failures</th><th scope="col">Parked</th><th scope="col">Next attempt</th></tr></thead>
        <tbody>{{#rows}}<tr><td>{{peerName}}</td><td><span class="tag {{tag}}">{{state}}</span></td><td>{{lastSuccess}}</td><td>{{backlog}}</td><td>{{oldest}}</td><td>{{failures}}{{#lastError}}<br><small>{{lastError}}</small>{{/lastError}}</td><td>{{parked}}</td><td>{{nextAttempt}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="8">No deliveries yet.</td></tr>{{/rows}}</tbody></table>
        <table id="problems"><caption>Parked and failing messages</caption>
        <thead><tr><th scope="col">Message</th><th scope="col">Kind</th><th scope="col">To</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
        <tbody>{{#problems}}<tr><td>{{id}}</td><td>{{kind}}</td><td>{{peerName}}</td><td><span class="tag red">{{state}}</span></td><td>{{attempts}}</td><td>{{lastError}}</td></tr>{{/problems}}
        {{^problems}}<tr><td colspan="6">None.</td></tr>{{/problems}}</tbody></table>
        <table id="expiry"><caption>Directory and certificates</caption>
        <thead><tr><th scope="col">What</th><th scope="col">Expires</th><th scope="col">Days left</th></tr></thead>
        <tbody>{{#expiries}}<tr><td>{{what}}</td><td>{{expiresAt}}</td><td>{{#warning}}<span class="tag red">{{days}}</span>{{/warning}}{{^warning}}{{days}}{{/warning}}</td></tr>{{/expiries}}</tbody></table>
        """

    static let performance = """
        <form method="get" action="/performance" class="period">
        <fieldset><legend>Requests made in a period (London dates, both included)</legend>
        <label for="from">From</label> <input id="from" name="from" type="date" value="{{from}}">
        <label for="to">To</label> <input id="to" name="to" type="date" value="{{to}}">
        <button type="submit">Show</button></fieldset></form>
        <p><a href="/performance.csv{{query}}" download>Download as CSV</a></p>
        <figure>{{{chart}}}<figcaption>Median working hours each authority took to answer our requests; the tick marks the 90th percentile.</figcaption></figure>
        <table id="performance"><caption>Exchanges with each authority</caption>
        <thead><tr><th scope="col">Authority</th><th scope="col">Sent</th><th scope="col">Received</th><th scope="col">Their answers: median hours (90th percentile)</th><th scope="col">Our answers: median hours (90th percentile)</th><th scope="col">Level 1</th><th scope="col">Level 2</th><th scope="col">Ladder spent</th><th scope="col">Green / amber / red</th></tr></thead>
        <tbody>{{#rows}}<tr><td>{{name}}</td><td>{{sent}}</td><td>{{received}}</td><td>{{theirs}}</td><td>{{ours}}</td><td>{{level1}}</td><td>{{level2}}</td><td>{{exhausted}}</td><td>{{green}} / {{amber}} / {{red}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="9">No exchanges yet.</td></tr>{{/rows}}</tbody></table>
        """

    static let message = """
        <p>{{text}}</p>
        {{#link}}<p><a href="{{href}}">{{label}}</a></p>{{/link}}
        """

    static let regionTables = """
        <table id="region-authorities"><caption>Each authority's answers, as the authorities that asked report them</caption>
        <thead><tr><th scope="col">Authority</th><th scope="col">Requests</th><th scope="col">In time</th><th scope="col">Late</th><th scope="col">Overdue</th><th scope="col">Level 1</th><th scope="col">Level 2</th><th scope="col">Ladder spent</th>{{#standards}}<th scope="col">{{title}}</th>{{/standards}}</tr></thead>
        <tbody>{{#authorities}}<tr class="region-row" data-authority="{{authority}}"><td>{{name}}{{^reported}}<br><small>sent no figures</small>{{/reported}}</td><td class="requests">{{requests}}</td><td>{{inTime}}</td><td>{{late}}</td><td>{{overdue}}</td><td>{{level1}}</td><td>{{level2}}</td><td>{{spent}}</td>{{#ratings}}<td><span class="tag {{tag}} rating">{{rating}}</span><br><small>{{shown}}</small></td>{{/ratings}}</tr>{{/authorities}}</tbody></table>
        <table id="region-months"><caption>The region month by month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">Authorities reporting</th><th scope="col">Requests</th><th scope="col">Answered in time</th><th scope="col">Level 1</th><th scope="col">Level 2</th><th scope="col">Ladder spent</th></tr></thead>
        <tbody>{{#months}}<tr><td>{{period}}</td><td>{{reporting}}</td><td>{{requests}}</td><td>{{inTime}}</td><td>{{level1}}</td><td>{{level2}}</td><td>{{spent}}</td></tr>{{/months}}
        {{^months}}<tr><td colspan="7">No figures yet.</td></tr>{{/months}}</tbody></table>
        <table id="region-agencies"><caption>Agencies across the region (paragraph 3)</caption>
        <thead><tr><th scope="col">Agency</th><th scope="col">Companies House</th><th scope="col">Authorities</th><th scope="col">Candidates</th><th scope="col">Requests</th><th scope="col">Verified</th><th scope="col">Not verified</th><th scope="col">Referee ineligible</th><th scope="col">Cleared</th><th scope="col">Concerns</th></tr></thead>
        <tbody>{{#agencies}}<tr class="agency-row" data-number="{{number}}"><td>{{name}}</td><td>{{number}}</td><td>{{authorities}}</td><td>{{candidates}}</td><td>{{requests}}</td><td>{{verified}}</td><td>{{notVerified}}</td><td>{{ineligible}}</td><td>{{cleared}}</td><td>{{concerns}}</td></tr>{{/agencies}}
        {{^agencies}}<tr><td colspan="10">No agency figures yet.</td></tr>{{/agencies}}</tbody></table>
        <p>Counts from 1 to {{threshold}} less one are shown as "fewer than {{threshold}}", so no figure singles out a person. Ratings follow the employer standards audit tool: green achieved, amber partly, red not yet.</p>
        <table id="region-sources"><caption>Signed figures behind this page</caption>
        <thead><tr><th scope="col">Message</th><th scope="col">From</th><th scope="col">Month</th><th scope="col">Signed</th></tr></thead>
        <tbody>{{#sources}}<tr><td><code>{{id}}</code></td><td>{{from}}</td><td>{{period}} ({{final}})</td><td>{{sentAt}}</td></tr>{{/sources}}</tbody></table>
        """

    static let region = """
        <form method="get" action="/region" class="filters"><div><label for="period">Month</label>
        <select id="period" name="period"><option value="">Every month held</option>{{#periods}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/periods}}</select></div>
        <button type="submit">Show</button></form>
        <p><a href="/region.csv{{query}}" download id="region-csv">Download as CSV</a> · <a href="/region/report{{query}}" id="region-report">Printable monthly report</a></p>
        """ + regionTables

    static let regionReport = """
        <p>Built from the signed figures each member authority sent the region's coordinator. No names of people or registration numbers are held.</p>
        """ + regionTables

    static let agencies = """
        <table id="agencies"><caption>Agencies</caption>
        <thead><tr><th scope="col">Agency</th><th scope="col">Companies House number</th><th scope="col">Compliance contact</th></tr></thead>
        <tbody>{{#rows}}<tr class="agency"><td>{{name}}</td><td>{{number}}</td><td>{{contact}}</td></tr>{{/rows}}
        {{^rows}}<tr><td colspan="3">No agencies yet.</td></tr>{{/rows}}</tbody></table>
        {{#canAdd}}<form method="post" action="/agencies"><input type="hidden" name="csrf" value="{{csrf}}">
        <h2>Add an agency or change its contact</h2>
        <label for="companiesHouseNumber">Companies House number</label><input type="text" id="companiesHouseNumber" name="companiesHouseNumber" required>
        <label for="agency-name">Registered name</label><input type="text" id="agency-name" name="name" required>
        <label for="contactEmail">Compliance contact e-mail</label><input type="email" id="contactEmail" name="contactEmail">
        <p><button type="submit" id="save-agency">Save agency</button></p></form>{{/canAdd}}
        {{#canConcern}}<form method="post" action="/agencies/concerns"><input type="hidden" name="csrf" value="{{csrf}}">
        <h2>Record a concern about an agency (paragraph 3)</h2>
        <label for="concern-agency">Agency</label><select id="concern-agency" name="agency">{{#agencies}}<option value="{{number}}">{{name}} ({{number}})</option>{{/agencies}}</select>
        <label for="category">About</label><select id="category" name="category">{{#categories}}<option value="{{value}}">{{title}}</option>{{/categories}}</select>
        <label for="concern-text">What happened</label><textarea id="concern-text" name="text" rows="4" maxlength="1000" required></textarea>
        <p><button type="submit" id="record-concern">Record concern</button></p></form>{{/canConcern}}
        {{#managers}}<table id="concerns"><caption>Concerns recorded</caption>
        <thead><tr><th scope="col">Agency</th><th scope="col">About</th><th scope="col">What happened</th><th scope="col">By</th><th scope="col">When</th></tr></thead>
        <tbody>{{#concerns}}<tr><td>{{agency}}</td><td>{{category}}</td><td>{{text}}</td><td>{{by}}</td><td>{{at}}</td></tr>{{/concerns}}
        {{^concerns}}<tr><td colspan="5">None.</td></tr>{{/concerns}}</tbody></table>{{/managers}}
        """

    static let agencyConfirm = """
        <p>{{agency}}: the authority asks you to confirm your safer-recruitment checks for <strong>{{candidate}}</strong> (North West references procedure, paragraph 9). This page works once, until {{expiresAt}}, and asks for nothing else.</p>
        <form method="post" action="/agency/confirm/{{token}}">
        <fieldset><legend>We confirm that</legend>
        <div class="inline"><input type="checkbox" id="dbs" name="dbsReviewed" value="yes"> <label for="dbs">the DBS check was reviewed</label></div>
        <div class="inline"><input type="checkbox" id="permanent" name="permanentEmployerReferences" value="yes"> <label for="permanent">references from previous permanent employers are held</label></div>
        <div class="inline"><input type="checkbox" id="gaps" name="employmentGapsChallenged" value="yes"> <label for="gaps">gaps in employment were robustly challenged</label></div>
        </fieldset>
        <label for="confirmedBy">Your name</label><input type="text" id="confirmedBy" name="confirmedBy" required maxlength="200">
        <p><button type="submit" id="confirm">Confirm</button></p>
        </form>
        """
}
