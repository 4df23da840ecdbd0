#!/usr/bin/env python3
"""Seeds a running Kilpailutus server through its GraphQL API for the load harness:
an orderer, two products, CALLS published calls (each with two lines and criteria), one call
open for the deadline rush, and RUSH providers with tokens. Writes bench state as JSON."""
import concurrent.futures
import datetime
import json
import sys
import urllib.request

URL, ADMIN_EMAIL, ADMIN_PASSWORD, CALLS, RUSH, OUT = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]


def gql(query, variables=None, token=None):
    req = urllib.request.Request(URL, data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                 headers={"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})})
    with urllib.request.urlopen(req, timeout=60) as r:
        body = json.load(r)
    if body.get("errors"):
        raise SystemExit(f"seed failed: {body['errors']}")
    return body["data"]


def business_id(n):
    w = [7, 9, 10, 5, 8, 4, 2]
    while True:
        d = f"{n % 10_000_000:07d}"
        r = sum(int(c) * k for c, k in zip(d, w)) % 11
        if r != 1:
            return f"{d}-{0 if r == 0 else 11 - r}"
        n += 1


admin = gql('mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }', {"e": ADMIN_EMAIL, "p": ADMIN_PASSWORD})["login"]["token"]
org = gql('mutation{ createOrganization(input:{name:"Hyvinvointilautakunta",kind:ORDERER}){ id } }', token=admin)["createOrganization"]["id"]
gql('mutation($o:ID!){ createUser(input:{email:"bench-orderer@kunta.example.fi",password:"bench-password",name:"Bench",role:ORDERER,organizationId:$o}){ id } }', {"o": org}, admin)
orderer = gql('mutation{ login(email:"bench-orderer@kunta.example.fi",password:"bench-password"){ token } }')["login"]["token"]
products = [gql('mutation($c:String!,$n:String!){ createProduct(input:{code:$c,name:$n,unit:"hour",category:"home care"}){ id } }',
                {"c": c, "n": n}, admin)["createProduct"]["id"] for c, n in [("KH-H", "Home care, hour"), ("KH-V", "Home care, visit")]]
now = datetime.datetime.now(datetime.timezone.utc)


def call_input(i, submission):
    return {"title": f"Kotihoito alue {i}", "description": f"{i} " + "\u00e4" * 19990,
            "pricingModel": "UNIT_PRICE",
            "lines": [{"productId": products[0], "quantity": "1000"}, {"productId": products[1], "quantity": "250"}],
            "contractStart": "2027-01-01", "contractEnd": "2027-12-31",
            "questionsDeadline": min(now + datetime.timedelta(days=10), submission - datetime.timedelta(minutes=1)).isoformat(),
            "submissionDeadline": submission.isoformat(), "priceWeight": 60,
            "qualityCriteria": [{"name": "Staff", "weight": 30, "maxPoints": 10}, {"name": "Plan", "weight": 10, "maxPoints": 5}],
            "capabilityRequirements": ["Licensed nurses"]}


def make_call(i, submission, publish=True):
    c = gql('mutation($i:CreateCallInput!){ createCall(input:$i){ id lines{ id } } }', {"i": call_input(i, submission)}, orderer)["createCall"]
    if publish:
        gql('mutation($id:ID!){ publishCall(id:$id){ id } }', {"id": c["id"]}, orderer)
    return c


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    made = list(pool.map(lambda i: make_call(i, now + datetime.timedelta(days=30)), range(CALLS)))
calls = [c["id"] for c in made]
first_lines = [l["id"] for l in made[0]["lines"]]
rush_deadline = now + datetime.timedelta(minutes=30)
rush = make_call(CALLS, rush_deadline)


def provider(i):
    d = gql('mutation($i:RegisterProviderInput!){ registerProvider(input:$i){ token } }', {"i": {
        "organizationName": f"Bench Provider {i} Oy", "businessId": business_id(2_000_000 + i * 13),
        "email": f"rush{i}@provider.example.fi", "password": "bench-password", "name": f"Seller {i}"}})
    return d["registerProvider"]["token"]


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    tokens = list(pool.map(provider, range(RUSH)))
# One bid on the first call: the template the bulk seeder copies (bench/bulk.py).
template_bid = gql('mutation($i:SubmitBidInput!){ submitBid(input:$i){ id } }', {"i": {
    "callId": calls[0], "lines": [{"callLineId": l, "unitPrice": p} for l, p in zip(first_lines, ["42.50", "30"])],
    "annualTurnover": "5000000", "equityRatio": "0.4", "creditRating": "AA", "capabilityResponses": [], "qualityResponses": []}},
    tokens[0])["submitBid"]["id"]
json.dump({"admin": admin, "template_bid": template_bid, "orderer": orderer, "calls": calls, "rush_call": rush["id"],
           "rush_lines": [l["id"] for l in rush["lines"]], "rush_deadline": rush_deadline.isoformat(),
           "tokens": tokens, "products": products}, open(OUT, "w"))
print(f"seeded {len(calls)} calls, {len(tokens)} providers")
