"""Association rules on a real order log: the pizza-shop sales shipped with great-tables 1.1.0 (PyPI), mined from the
file and from the same orders stored in Ciclo on SQLite and PostgreSQL."""
import csv
import json
import os
from collections import defaultdict

import great_tables
import pytest

from conftest import CicloServer, fresh_postgres_url, run_ciclo
from helpers import post_batch

PIZZA = os.path.join(os.path.dirname(great_tables.__file__), "data", "05-pizzaplace.csv")


def mined(*args):
    result = run_ciclo("recommend", "rules", *args, "--min-support", "0.01", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def check(rules):
    assert rules["baskets"] == 21350
    assert len([i for i in rules["itemsets"] if len(i["items"]) == 1]) == 32
    assert len([i for i in rules["itemsets"] if len(i["items"]) == 2]) == 26
    assert len(rules["rules"]) == 52
    rule = next(r for r in rules["rules"] if r["antecedent"] == ["four_cheese"] and r["consequent"] == ["pepperoni"])
    assert round(rule["support"], 5) == 0.01101 and round(rule["confidence"], 5) == 0.12991
    assert round(rule["lift"], 5) == 1.21751 and round(rule["conviction"], 5) == 1.02667


def test_pizza_rules_from_the_file():
    check(mined(PIZZA, "--basket", "id", "--item", "name"))


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_pizza_rules_from_stored_orders_match_the_file(engine, workdir):
    orders = defaultdict(list)
    times = {}
    with open(PIZZA) as f:
        for row in csv.DictReader(f):
            orders[row["id"]].append({"product_id": row["name"], "price": float(row["price"])})
            times[row["id"]] = f"{row['date']}T{row['time']}Z"
    url = f"sqlite://{workdir}/ciclo.db" if engine == "sqlite" else fresh_postgres_url()
    server = CicloServer(url, workdir).start()
    try:
        events = [{"type": "track", "userId": f"guest-{n % 900}", "event": "Order Completed", "timestamp": times[order],
                   "messageId": f"pizza-{order}", "properties": {"order_id": order, "products": lines}}
                  for n, (order, lines) in enumerate(sorted(orders.items()))]
        for start in range(0, len(events), 500):
            assert post_batch(server, events[start:start + 500]).status_code == 200
        server.wait_processed()
        stored = mined("--database", url)
        check(stored)
        assert stored == mined(PIZZA, "--basket", "id", "--item", "name"), "the same rules from the database as from the file"
    finally:
        server.kill()


def test_catalogue_and_content_imports_reject_bad_rows_and_keep_going(workdir):
    url = f"sqlite://{workdir}/ciclo.db"
    assert run_ciclo("migrate", "--database", url).returncode == 0
    assert run_ciclo("workspace", "create", "default", "--database", url).returncode == 0
    products = os.path.join(workdir, "products.csv")
    with open(products, "w") as f:
        f.write("product_id,name,category,price,in_stock,hidden\np1,Tent,camping,199.5,true,false\n,No id,camping,1,true,false\n"
                "p2,Stove,camping,cheap,true,false\np3,Lamp,camping,30,maybe,false\np4,Mat,camping,25,false,false\n")
    result = run_ciclo("import", "products", products, "--database", url)
    assert result.returncode == 0, result.stderr
    assert "Imported 2 products; 3 rows rejected" in result.stdout
    with open(products + ".rejects.csv") as f:
        rejects = f.read()
    assert "product_id is empty" in rejects and "cheap is not a number" in rejects and "maybe is not true or false" in rejects
    content = os.path.join(workdir, "content.csv")
    with open(content, "w") as f:
        f.write("key,title,format,url,stages,status\nguide,Guide,guide,https://x/g,convert;fulfil,published\nbad,Bad,podcast,https://x/b,,published\n")
    result = run_ciclo("import", "content", content, "--database", url)
    assert result.returncode == 0 and "Imported 1 content items; 1 rows rejected" in result.stdout
    missing = run_ciclo("import", "products", os.path.join(workdir, "nope.csv"), "--database", url)
    assert missing.returncode != 0 and "Cannot read" in missing.stderr
