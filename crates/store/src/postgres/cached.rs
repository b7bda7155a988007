//! Connections that prepare each statement once. Given a query as text, the client parses
//! and plans it on the server (one round trip) and then runs it (another) on every call; a
//! statement kept per connection runs in one, and is planned once.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Client, GenericClient, Row, Statement, Transaction};

type Statements = HashMap<String, Statement>;

/// A pooled connection and the statements it prepared.
pub(crate) struct Conn {
    pub client: Client,
    statements: Statements,
}

impl Conn {
    pub fn new(client: Client) -> Self {
        Conn {
            client,
            statements: Statements::new(),
        }
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    pub fn transaction(&mut self) -> Result<Tx<'_>, postgres::Error> {
        Ok(Tx {
            tx: self.client.transaction()?,
            statements: &mut self.statements,
        })
    }
}

/// A transaction on a `Conn`, using and growing its statements.
pub(crate) struct Tx<'a> {
    tx: Transaction<'a>,
    statements: &'a mut Statements,
}

impl Tx<'_> {
    pub fn commit(self) -> Result<(), postgres::Error> {
        self.tx.commit()
    }
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

/// The queries of a connection or a transaction, each prepared once.
pub(crate) trait Sql {
    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, postgres::Error>;
    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, postgres::Error>;
    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, postgres::Error>;
    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error>;
    /// Statements separated by semicolons, without parameters (never prepared).
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error>;
}

/// A connection or transaction and the statements of its connection.
trait Parts {
    fn parts(&mut self) -> (&mut dyn Run, &mut Statements);
}

/// What both a connection and a transaction run prepared statements with.
trait Run {
    fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error>;
    fn query(&mut self, st: &Statement, params: Params<'_>) -> Result<Vec<Row>, postgres::Error>;
    fn query_one(&mut self, st: &Statement, params: Params<'_>) -> Result<Row, postgres::Error>;
    fn query_opt(
        &mut self,
        st: &Statement,
        params: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error>;
    fn execute(&mut self, st: &Statement, params: Params<'_>) -> Result<u64, postgres::Error>;
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error>;
}

impl<C: GenericClient> Run for C {
    fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        GenericClient::prepare(self, sql)
    }
    fn query(&mut self, st: &Statement, params: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        GenericClient::query(self, st, params)
    }
    fn query_one(&mut self, st: &Statement, params: Params<'_>) -> Result<Row, postgres::Error> {
        GenericClient::query_one(self, st, params)
    }
    fn query_opt(
        &mut self,
        st: &Statement,
        params: Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        GenericClient::query_opt(self, st, params)
    }
    fn execute(&mut self, st: &Statement, params: Params<'_>) -> Result<u64, postgres::Error> {
        GenericClient::execute(self, st, params)
    }
    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        GenericClient::batch_execute(self, sql)
    }
}

impl Parts for Conn {
    fn parts(&mut self) -> (&mut dyn Run, &mut Statements) {
        (&mut self.client, &mut self.statements)
    }
}

impl Parts for Tx<'_> {
    fn parts(&mut self) -> (&mut dyn Run, &mut Statements) {
        (&mut self.tx, &mut *self.statements)
    }
}

fn prepared(
    run: &mut dyn Run,
    statements: &mut Statements,
    sql: &str,
) -> Result<Statement, postgres::Error> {
    if let Some(statement) = statements.get(sql) {
        return Ok(statement.clone());
    }
    let statement = run.prepare(sql)?;
    statements.insert(sql.to_string(), statement.clone());
    Ok(statement)
}

impl<T: Parts> Sql for T {
    fn query(&mut self, sql: &str, params: Params<'_>) -> Result<Vec<Row>, postgres::Error> {
        let (run, statements) = self.parts();
        let statement = prepared(run, statements, sql)?;
        run.query(&statement, params)
    }

    fn query_one(&mut self, sql: &str, params: Params<'_>) -> Result<Row, postgres::Error> {
        let (run, statements) = self.parts();
        let statement = prepared(run, statements, sql)?;
        run.query_one(&statement, params)
    }

    fn query_opt(&mut self, sql: &str, params: Params<'_>) -> Result<Option<Row>, postgres::Error> {
        let (run, statements) = self.parts();
        let statement = prepared(run, statements, sql)?;
        run.query_opt(&statement, params)
    }

    fn execute(&mut self, sql: &str, params: Params<'_>) -> Result<u64, postgres::Error> {
        let (run, statements) = self.parts();
        let statement = prepared(run, statements, sql)?;
        run.execute(&statement, params)
    }

    fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        self.parts().0.batch_execute(sql)
    }
}
