#!/usr/bin/python3
"""Send one event of every disclosed type to Kafka, as the office's
complaint platform, website and other systems would.

Uses Debian's python3-confluent-kafka (librdkafka underneath):
    apt-get install python3-confluent-kafka
    ./produce.py -b kafka1:9092                  # structured mode
    ./produce.py -b kafka1:9092 --binary         # binary mode (ce_* headers)

Each event is keyed by its subject, so every event about one case lands in
the same partition, in order. The producer is idempotent (no duplicates or
reordering from its own retries) and waits for every in-sync replica.
disclosed also skips an event whose (source, id) it already stored, so
sending the same event again after a crash is safe: keep the id stable.
"""
import argparse
import json
import os
import sys

from confluent_kafka import Producer

AGENCY = "yaodu-xinfang"

# (topic, source, type, id, time, subject, data): one event of every type
# (docs/events.md describes each one's fields).
EVENTS = [
    ("complaints", "/complaint-platform", "disclosure.complaint.received", "ts-2020-000123-r",
     "2020-03-02T09:15:00+08:00", "TS2020-000123",
     {"channel": "online", "category": "urban management"}),
    ("complaints", "/complaint-platform", "disclosure.complaint.transferred", "ts-2020-000123-t",
     "2020-03-02T16:00:00+08:00", "TS2020-000123", {"unit": "district housing bureau"}),
    ("complaints", "/complaint-platform", "disclosure.complaint.decided", "ts-2020-000123-a",
     "2020-03-03T10:00:00+08:00", "TS2020-000123", {"accepted": True}),
    ("complaints", "/complaint-platform", "disclosure.complaint.closed", "ts-2020-000123-c",
     "2020-03-20T11:00:00+08:00", "TS2020-000123", {"result": "resolved"}),
    ("receptions", "/reception-office", "disclosure.reception.held", "rc-2020-017",
     "2020-05-12T09:00:00+08:00", "RC2020-017",
     {"leader": "deputy director", "visitors": 6, "location": "reception hall"}),
    ("publications", "/portal/cms", "disclosure.publication.published", "pub-2020-0042",
     "2020-06-01T10:30:00+08:00", "ITEM-2020-0042",
     {"category": "work_news", "channel": "website", "title": "Petition work meeting held"}),
    ("publications", "/portal/cms", "disclosure.publication.repealed", "pub-2019-0007-x",
     "2021-09-30T17:00:00+08:00", "ITEM-2019-0007", {"reason": "superseded"}),
    ("newmedia", "/newmedia/wechat", "disclosure.newmedia.snapshot", "nm-wx-2020-12-31",
     "2020-12-31T23:59:00+08:00", "wechat-ydxf",
     {"views_total": 4585, "followers": 733, "name": "尧都阳光信访"}),
    ("applications", "/disclosure-desk", "disclosure.application.received", "ap-2021-0009-r",
     "2021-04-06T14:20:00+08:00", "AP2021-0009",
     {"applicant_class": "natural_person", "channel": "online"}),
    ("applications", "/disclosure-desk", "disclosure.application.closed", "ap-2021-0009-c",
     "2021-04-20T10:00:00+08:00", "AP2021-0009", {"outcome": "3.2"}),
    ("reviews", "/legal-affairs", "disclosure.review.filed", "rv-2021-002-f",
     "2021-07-01T09:00:00+08:00", "RV2021-002", {"route": "reconsideration"}),
    ("reviews", "/legal-affairs", "disclosure.review.decided", "rv-2021-002-d",
     "2021-09-15T15:00:00+08:00", "RV2021-002", {"outcome": "upheld"}),
    ("stats", "/finance", "disclosure.stats.reported", "st-2021-fee-1",
     "2022-01-05T09:00:00+08:00", "fee/2021", {"year": 2021, "item": "fee", "amount": "12.3500"}),
    # Opening balances travel with the yearly figures, on the stats topic.
    ("stats", "/go-live", "disclosure.opening.stated", "op-2027-app-np",
     "2027-01-04T09:00:00+08:00", "open_applications/natural_person",
     {"as_of": "2027-01-01T00:00:00+08:00", "balance": "open_applications",
      "applicant_class": "natural_person", "count": 3}),
    # A correction goes to the topic of the event it corrects, keyed alike.
    ("applications", "/disclosure-desk", "disclosure.event.corrected", "ap-2021-0009-c-fix1",
     "2021-05-06T09:00:00+08:00", "AP2021-0009",
     {"target_source": "/disclosure-desk", "target_id": "ap-2021-0009-c",
      "target_type": "disclosure.application.closed", "action": "replace",
      "data": {"outcome": "3.1"}}),
]


def message(source, type_, id_, time, subject, data, binary):
    """The Kafka value and headers of one CloudEvent in either mode."""
    attrs = {"specversion": "1.0", "id": id_, "source": source, "type": type_,
             "time": time, "subject": subject, "agency": AGENCY}
    if binary:
        headers = [("ce_" + k, v.encode()) for k, v in attrs.items()]
        headers.append(("content-type", b"application/json"))
        return json.dumps(data, ensure_ascii=False).encode(), headers
    attrs["datacontenttype"] = "application/json"
    attrs["data"] = data
    return json.dumps(attrs, ensure_ascii=False).encode(), None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-b", "--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP", "localhost:9092"),
                    help="bootstrap.servers (default: $KAFKA_BOOTSTRAP or localhost:9092)")
    ap.add_argument("--topic-prefix", default="disclosure.",
                    help="topics are PREFIX + complaints, receptions, ... (default: disclosure.)")
    ap.add_argument("--binary", action="store_true", help="binary mode: attributes as ce_* headers")
    ap.add_argument("--id-prefix", default="",
                    help="prepended to every event id (to send the set again as new events)")
    ap.add_argument("-X", dest="props", action="append", default=[], metavar="KEY=VALUE",
                    help="more librdkafka properties, e.g. -X security.protocol=SASL_SSL")
    args = ap.parse_args()

    conf = {
        "bootstrap.servers": args.bootstrap,
        "enable.idempotence": True,  # implies acks=all and ordered retries
        "acks": "all",
        "linger.ms": 5,
    }
    for kv in args.props:
        k, _, v = kv.partition("=")
        conf[k] = v
    producer = Producer(conf)
    failed = []

    def delivered(err, msg):
        if err is not None:
            failed.append(f"{msg.topic()} key={msg.key().decode()}: {err}")

    for topic, source, type_, id_, time, subject, data in EVENTS:
        if "target_id" in data:  # a correction names its target: prefixed alike
            data = dict(data, target_id=args.id_prefix + data["target_id"])
        value, headers = message(source, type_, args.id_prefix + id_, time, subject, data,
                                 args.binary)
        producer.produce(args.topic_prefix + topic, value=value, key=subject.encode(),
                         headers=headers, on_delivery=delivered)
        producer.poll(0)
    left = producer.flush(30)
    if left or failed:
        for f in failed:
            print(f"produce.py: not delivered: {f}", file=sys.stderr)
        if left:
            print(f"produce.py: {left} message(s) still undelivered after 30 s", file=sys.stderr)
        return 1
    print(f"produce.py: {len(EVENTS)} events sent ({'binary' if args.binary else 'structured'} mode)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
