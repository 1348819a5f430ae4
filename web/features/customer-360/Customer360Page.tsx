import { CommentOutlined, MessageOutlined } from "@ant-design/icons";
import { Breadcrumb, Card, Col, Flex, Row, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../../app/api";
import { useCan } from "../../app/session";
import { FullPageSpin, LoadError, NotFoundResult } from "../../components/StatusResults";
import { CustomerContractsCard } from "../contracts/CustomerContractsCard";
import { CustomerDealsCard } from "../deals/CustomerDealsCard";
import { FollowUpComposer } from "../follow-ups/FollowUpComposer";
import { CustomerPaymentsCard } from "../payments/CustomerPaymentsCard";
import { CommentBox } from "./CommentBox";
import { ContactsCard } from "./ContactsCard";
import { useCustomerOverview } from "./customer-360-api";
import { CustomerDetailsCard } from "./CustomerDetailsCard";
import { CustomerHeader } from "./CustomerHeader";
import { TimelineCard } from "./TimelineCard";

/** 客户 360°: key facts, contacts, details and everything that happened, in one page. */
export function Customer360Page() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const overview = useCustomerOverview(id);

  if (overview.isPending) {
    return <FullPageSpin />;
  }
  if (overview.isError) {
    if (overview.error instanceof ApiError && overview.error.status === 404) {
      return <NotFoundResult />;
    }
    return <LoadError onRetry={() => void overview.refetch()} />;
  }
  const { customer, contacts } = overview.data;
  const canFollowUp = can("followUp:create") && !customer.deletedAt;

  return (
    <Flex vertical gap={16} data-testid="customer-360">
      <Breadcrumb
        items={[{ title: <Link to="/customers">{t("customer360.customers")}</Link> }, { title: customer.name }]}
      />
      <CustomerHeader customer={customer} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <ContactsCard customer={customer} contacts={contacts} />
            <CustomerDealsCard customer={customer} />
            <CustomerPaymentsCard customer={customer} />
            <CustomerDetailsCard customer={customer} contacts={contacts} />
          </Flex>
        </Col>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <Card size="small" data-testid="composer-card">
              <Tabs
                items={[
                  ...(canFollowUp
                    ? [
                        {
                          key: "followUp",
                          label: (
                            <span data-testid="composer-tab-follow-up">
                              <MessageOutlined /> {t("followUps.add")}
                            </span>
                          ),
                          children: <FollowUpComposer customerId={customer.id} contacts={contacts} />,
                        },
                      ]
                    : []),
                  {
                    key: "comment",
                    label: (
                      <span data-testid="composer-tab-comment">
                        <CommentOutlined /> {t("customer360.comment.tab")}
                      </span>
                    ),
                    children: <CommentBox customerId={customer.id} />,
                  },
                ]}
              />
            </Card>
            <CustomerContractsCard customerId={customer.id} />
            <TimelineCard
              customer={customer}
              overview={overview.data}
              overviewAt={overview.dataUpdatedAt}
              contacts={contacts}
            />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
