package disclosed.example;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends one event of every disclosed type to Kafka, as the office's
 * complaint platform, website and other systems would.
 *
 * <pre>
 * java -jar target/disclosed-producer-example.jar -b kafka1:9092            # structured mode
 * java -jar target/disclosed-producer-example.jar -b kafka1:9092 --binary   # binary mode
 *   [--topic-prefix disclosure.] [--id-prefix P] [-X key=value ...]
 * </pre>
 *
 * Each event is keyed by its subject, so every event about one case lands in
 * the same partition, in order. The producer is idempotent (its own retries
 * add no duplicates and keep the order) and waits for every in-sync replica.
 * disclosed also skips an event whose (source, id) it already stored, so
 * sending an event again after a crash is safe: keep the id stable.
 */
public final class Produce {
	private static final String AGENCY = "yaodu-xinfang";

	/** One CloudEvent; data is the JSON of the type's fields (docs/events.md). */
	private record Event(String topic, String source, String type, String id, String time,
			String subject, String data) {
	}

	private static final List<Event> EVENTS = List.of(
		new Event("complaints", "/complaint-platform", "disclosure.complaint.received",
			"ts-2020-000123-r", "2020-03-02T09:15:00+08:00", "TS2020-000123",
			"{\"channel\":\"online\",\"category\":\"urban management\"}"),
		new Event("complaints", "/complaint-platform", "disclosure.complaint.transferred",
			"ts-2020-000123-t", "2020-03-02T16:00:00+08:00", "TS2020-000123",
			"{\"unit\":\"district housing bureau\"}"),
		new Event("complaints", "/complaint-platform", "disclosure.complaint.decided",
			"ts-2020-000123-a", "2020-03-03T10:00:00+08:00", "TS2020-000123",
			"{\"accepted\":true}"),
		new Event("complaints", "/complaint-platform", "disclosure.complaint.closed",
			"ts-2020-000123-c", "2020-03-20T11:00:00+08:00", "TS2020-000123",
			"{\"result\":\"resolved\"}"),
		new Event("receptions", "/reception-office", "disclosure.reception.held",
			"rc-2020-017", "2020-05-12T09:00:00+08:00", "RC2020-017",
			"{\"leader\":\"deputy director\",\"visitors\":6,\"location\":\"reception hall\"}"),
		new Event("publications", "/portal/cms", "disclosure.publication.published",
			"pub-2020-0042", "2020-06-01T10:30:00+08:00", "ITEM-2020-0042",
			"{\"category\":\"work_news\",\"channel\":\"website\","
				+ "\"title\":\"Petition work meeting held\"}"),
		new Event("publications", "/portal/cms", "disclosure.publication.repealed",
			"pub-2019-0007-x", "2021-09-30T17:00:00+08:00", "ITEM-2019-0007",
			"{\"reason\":\"superseded\"}"),
		new Event("newmedia", "/newmedia/wechat", "disclosure.newmedia.snapshot",
			"nm-wx-2020-12-31", "2020-12-31T23:59:00+08:00", "wechat-ydxf",
			"{\"views_total\":4585,\"followers\":733,\"name\":\"尧都阳光信访\"}"),
		new Event("applications", "/disclosure-desk", "disclosure.application.received",
			"ap-2021-0009-r", "2021-04-06T14:20:00+08:00", "AP2021-0009",
			"{\"applicant_class\":\"natural_person\",\"channel\":\"online\"}"),
		new Event("applications", "/disclosure-desk", "disclosure.application.closed",
			"ap-2021-0009-c", "2021-04-20T10:00:00+08:00", "AP2021-0009",
			"{\"outcome\":\"3.2\"}"),
		new Event("reviews", "/legal-affairs", "disclosure.review.filed",
			"rv-2021-002-f", "2021-07-01T09:00:00+08:00", "RV2021-002",
			"{\"route\":\"reconsideration\"}"),
		new Event("reviews", "/legal-affairs", "disclosure.review.decided",
			"rv-2021-002-d", "2021-09-15T15:00:00+08:00", "RV2021-002",
			"{\"outcome\":\"upheld\"}"),
		new Event("stats", "/finance", "disclosure.stats.reported",
			"st-2021-fee-1", "2022-01-05T09:00:00+08:00", "fee/2021",
			"{\"year\":2021,\"item\":\"fee\",\"amount\":\"12.3500\"}"),
		// Opening balances travel with the yearly figures, on the stats topic.
		new Event("stats", "/go-live", "disclosure.opening.stated",
			"op-2027-app-np", "2027-01-04T09:00:00+08:00", "open_applications/natural_person",
			"{\"as_of\":\"2027-01-01T00:00:00+08:00\",\"balance\":\"open_applications\","
			+ "\"applicant_class\":\"natural_person\",\"count\":3}"),
		// A correction goes to the topic of the event it corrects, keyed alike.
		new Event("applications", "/disclosure-desk", "disclosure.event.corrected",
			"ap-2021-0009-c-fix1", "2021-05-06T09:00:00+08:00", "AP2021-0009",
			"{\"target_source\":\"/disclosure-desk\",\"target_id\":\"ap-2021-0009-c\","
				+ "\"target_type\":\"disclosure.application.closed\",\"action\":\"replace\","
				+ "\"data\":{\"outcome\":\"3.1\"}}"));

	private static String jsonString(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			if (c == '"' || c == '\\')
				b.append('\\').append(c);
			else if (c < 0x20)
				b.append(String.format("\\u%04x", (int) c));
			else
				b.append(c);
		}
		return b.append('"').toString();
	}

	private static Map<String, String> attributes(Event e, String id) {
		Map<String, String> a = new LinkedHashMap<>();
		a.put("specversion", "1.0");
		a.put("id", id);
		a.put("source", e.source());
		a.put("type", e.type());
		a.put("time", e.time());
		a.put("subject", e.subject());
		a.put("agency", AGENCY);
		return a;
	}

	/** Structured mode: the whole event as the JSON value. */
	private static ProducerRecord<String, byte[]> structured(String topic, Event e, String id) {
		StringBuilder v = new StringBuilder("{");
		for (Map.Entry<String, String> a : attributes(e, id).entrySet())
			v.append(jsonString(a.getKey())).append(':').append(jsonString(a.getValue())).append(',');
		v.append("\"datacontenttype\":\"application/json\",\"data\":").append(e.data()).append('}');
		return new ProducerRecord<>(topic, e.subject(), v.toString().getBytes(StandardCharsets.UTF_8));
	}

	/** Binary mode: attributes as ce_* headers, data as the value. */
	private static ProducerRecord<String, byte[]> binary(String topic, Event e, String id) {
		ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, e.subject(),
			e.data().getBytes(StandardCharsets.UTF_8));
		for (Map.Entry<String, String> a : attributes(e, id).entrySet())
			r.headers().add("ce_" + a.getKey(), a.getValue().getBytes(StandardCharsets.UTF_8));
		r.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
		return r;
	}

	private static void usage() {
		System.err.println("usage: Produce [-b BOOTSTRAP] [--binary] [--topic-prefix P] "
			+ "[--id-prefix P] [-X key=value ...]");
		System.exit(64);
	}

	public static void main(String[] args) throws Exception {
		String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP", "localhost:9092");
		String topicPrefix = "disclosure.", idPrefix = "";
		boolean binaryMode = false;
		Properties props = new Properties();
		for (int i = 0; i < args.length; i++) {
			String a = args[i];
			if (a.equals("--binary"))
				binaryMode = true;
			else if (i + 1 >= args.length)
				usage();
			else if (a.equals("-b") || a.equals("--bootstrap"))
				bootstrap = args[++i];
			else if (a.equals("--topic-prefix"))
				topicPrefix = args[++i];
			else if (a.equals("--id-prefix"))
				idPrefix = args[++i];
			else if (a.equals("-X")) {
				String[] kv = args[++i].split("=", 2);
				if (kv.length != 2)
					usage();
				props.put(kv[0], kv[1]);
			} else
				usage();
		}
		props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
		props.put(ProducerConfig.ACKS_CONFIG, "all");
		props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

		List<Future<RecordMetadata>> sent = new ArrayList<>();
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
			for (Event e : EVENTS) {
				String topic = topicPrefix + e.topic(), id = idPrefix + e.id();
				/* A correction names its target by id: prefixed alike. */
				e = new Event(e.topic(), e.source(), e.type(), e.id(), e.time(), e.subject(),
					e.data().replace("\"target_id\":\"", "\"target_id\":\"" + idPrefix));
				sent.add(producer.send(binaryMode ? binary(topic, e, id) : structured(topic, e, id)));
			}
			producer.flush();
			for (Future<RecordMetadata> f : sent)
				f.get(); /* throws on a failed delivery */
		}
		System.out.printf("Produce: %d events sent (%s mode)%n", EVENTS.size(),
			binaryMode ? "binary" : "structured");
	}
}
